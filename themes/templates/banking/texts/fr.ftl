# Banque : textes du catalogue remplacés (locales/fr.ftl) ; mêmes clés, mêmes variables.
sign-in = Connexion sécurisée
sign-in-to = Connectez-vous en toute sécurité pour accéder à { $client }. Nous ne vous demanderons jamais votre mot de passe par téléphone ni par e-mail.
signed-out-text = Votre session a bien été fermée. Par sécurité, fermez cette fenêtre si vous partagez cet appareil.
