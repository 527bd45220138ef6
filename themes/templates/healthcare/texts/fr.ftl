# Santé : un ton rassurant (textes remplaçant ceux de locales/fr.ftl).
sign-in-to = Connectez-vous pour accéder à { $client }. Vos données de santé restent confidentielles.
signed-out-text = Votre session a bien été fermée. Si cet appareil est partagé, fermez cette fenêtre pour protéger vos données de santé.
