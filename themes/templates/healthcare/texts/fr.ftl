# Santé : un ton rassurant (textes remplaçant ceux de locales/fr.ftl).
sign-in-to = Connectez-vous pour continuer vers { $client }. Vos données de santé restent confidentielles.
signed-out-text = Vous avez été déconnecté. Si cet appareil est partagé, fermez cette fenêtre pour protéger vos données de santé.
