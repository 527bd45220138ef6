# Service public : langage clair (textes remplaçant ceux de locales/fr.ftl).
sign-in-to = Connectez-vous pour utiliser { $client }.
create-account-link = Créer un compte pour accéder aux services en ligne
signed-out-text = Votre session a bien été fermée. Si vous utilisez un ordinateur public ou partagé, fermez le navigateur maintenant.
