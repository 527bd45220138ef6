# Textes de Portcullis : français (vouvoiement).

## Connexion

sign-in = Se connecter
sign-in-to = Connectez-vous pour accéder à { $client }.
username-or-email = Nom d’utilisateur ou adresse e-mail
password = Mot de passe
bad-credentials = Le nom d’utilisateur ou le mot de passe est incorrect.
too-many-attempts = Trop de tentatives infructueuses. Veuillez patienter 15 minutes ou réinitialiser votre mot de passe.
too-many-codes = Trop de codes ont été demandés pour cette adresse ou depuis votre réseau. Veuillez patienter une heure, puis réessayer.
wait-seconds = { $n ->
    [one] Plusieurs tentatives de connexion ont échoué. Veuillez patienter une seconde avant de réessayer.
   *[other] Plusieurs tentatives de connexion ont échoué. Veuillez patienter { $n } secondes avant de réessayer.
}
forgot-password = Mot de passe oublié ?
create-account-link = Créer un compte

## Consentement

consent-title = Autoriser l’accès ?
consent-intro = { $client } souhaite :
allow = Autoriser
deny = Refuser
scope-openid = Savoir qui vous êtes
scope-profile = Voir votre nom et les informations de votre profil
scope-email = Voir votre adresse e-mail
scope-phone = Voir votre numéro de téléphone
scope-address = Voir votre adresse postale
scope-offline-access = Conserver l’accès en votre absence
scope-admin = Gérer en votre nom les comptes et les paramètres de cette organisation
scope-admin-warning = L’application obtiendra ainsi vos droits d’administrateur. N’accordez cet accès qu’à un outil d’administration de confiance.
scope-other = Accéder à d’autres informations de votre compte

## Déconnexion

signed-out = Déconnexion effectuée
signed-out-text = Votre session a bien été fermée.
sign-out-title = Se déconnecter
sign-out-question = Voulez-vous vous déconnecter ?
sign-out = Se déconnecter

## Erreurs

error-title = Un problème est survenu
error-code = Code d’erreur
error-details = Détails techniques
error-reference = Référence : { $reference }
form-expired = Ce formulaire a expiré. Veuillez recommencer.
form-expired-flow = Ce formulaire a expiré. Veuillez revenir à l’application et réessayer.
flow-expired = Cette connexion a expiré ou n’est plus valide. Veuillez revenir à l’application et réessayer.
code-expired = Ce code a expiré ou a fait l’objet de trop nombreuses tentatives. Veuillez recommencer.
client-gone = Cette application n’est plus disponible.
sign-in-first = Veuillez d’abord vous connecter.
choose-allow-deny = Veuillez choisir « Autoriser » ou « Refuser ».
no-registration = Cette application ne permet pas de créer un compte.
not-found = Cette page n’existe pas.
bad-request = L’application a envoyé une demande qui ne peut pas être traitée. Veuillez revenir à l’application et réessayer.
unavailable = Le service est momentanément indisponible. Veuillez réessayer dans quelques instants.
internal-error = Une erreur s’est produite de notre côté. Veuillez réessayer plus tard.
sample-error = Ceci est un exemple de message d’erreur.

## Inscription

register-title = Créer votre compte
register-submit = Créer le compte
optional = (facultatif)
have-account = Vous avez déjà un compte ? Connectez-vous
label-username = Nom d’utilisateur
label-email = Adresse e-mail
label-phone = Numéro de téléphone
claim-given-name = Prénom
claim-family-name = Nom
claim-middle-name = Deuxième prénom
claim-nickname = Surnom
claim-preferred-username = Nom d’utilisateur souhaité
claim-birthdate = Date de naissance
claim-gender = Genre
claim-zoneinfo = Fuseau horaire
claim-locale = Langue
claim-website = Site web
claim-profile = Page de profil
claim-picture = Photo de profil
field-required = Veuillez remplir ce champ.
field-taken = Cette valeur est déjà utilisée. Veuillez en choisir une autre.
field-invalid = Veuillez vérifier cette saisie.
form-problem = Veuillez corriger les champs signalés ci-dessous.
password-invalid = Ce mot de passe ne respecte pas les exigences suivantes :

## Règles du mot de passe

rule-min-length = { $n ->
    [one] Au moins un caractère
   *[other] Au moins { $n } caractères
}
rule-max-length = { $n ->
    [one] Au plus un caractère
   *[other] Au plus { $n } caractères
}
rule-lowercase = Une lettre minuscule
rule-uppercase = Une lettre majuscule
rule-digit = Un chiffre
rule-symbol = Un caractère spécial, par exemple ! ou %
rule-identifier = Différent de votre nom d’utilisateur, de votre adresse e-mail et de votre numéro de téléphone
rule-common = Pas un mot de passe couramment utilisé
rule-history-one = Différent de votre mot de passe précédent
rule-history = { $n ->
    [one] Différent de votre mot de passe précédent
   *[other] Différent de vos { $n } derniers mots de passe
}

## Codes

verify-title = Confirmez votre adresse
reset-confirm-title = Choisissez un nouveau mot de passe
code-intro = Si un compte est associé à { $address }, nous y avons envoyé un code à 6 chiffres. Ce code expire dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
code-label = Code
new-password = Nouveau mot de passe
continue-button = Continuer
resend = Envoyer un nouveau code
code-resent = Nous vous avons envoyé un nouveau code.
resend-limited = Trop de codes ont été demandés. Veuillez patienter une heure ou utiliser le dernier code reçu.
code-wrong = { $left ->
    [one] Ce code est incorrect. Il vous reste une tentative.
   *[other] Ce code est incorrect. Il vous reste { $left } tentatives.
}

## Réinitialisation du mot de passe

reset-title = Réinitialiser votre mot de passe
reset-intro = Nous allons envoyer un code à l’adresse e-mail ou au numéro de téléphone associé à votre compte.
reset-identifier = Adresse e-mail ou numéro de téléphone
reset-not-address = Veuillez saisir l’adresse e-mail ou le numéro de téléphone associé à votre compte.
send-code = Envoyer le code
password-changed-title = Mot de passe modifié
password-changed-text = Votre mot de passe a été modifié et toutes vos sessions ont été fermées. Connectez-vous avec votre nouveau mot de passe.

## Activation

activate-title = Activer votre compte
activate-submit = Activer
activated-title = Compte activé
activated-text = Votre compte est prêt. Revenez à l’application pour vous connecter.
activation-link-expired = Ce lien d’activation a expiré ou a déjà été utilisé.

## E-mail et SMS

mail-activation-subject = Votre code d’activation
mail-activation-text = Votre code d’activation est { $code }. Il expire dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
mail-reset-subject = Réinitialiser votre mot de passe
mail-reset-text = Votre code de réinitialisation du mot de passe est { $code }. Il expire dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
mail-reset-link = Vous pouvez aussi ouvrir ce lien pour choisir un nouveau mot de passe :
mail-existing-subject = Vous avez déjà un compte
mail-existing-text = Quelqu’un a essayé de créer un compte avec cette adresse, mais vous en avez déjà un. Vous pouvez vous connecter, ou réinitialiser votre mot de passe si vous l’avez oublié.
mail-existing-link = Réinitialiser votre mot de passe
mail-invite-subject = Activez votre compte
mail-invite-text = { $days ->
    [one] Un compte a été créé pour vous. Veuillez l’activer dans un délai d’un jour.
   *[other] Un compte a été créé pour vous. Veuillez l’activer dans un délai de { $days } jours.
}
mail-invite-link = Activer votre compte
mail-signin-subject = Votre code de connexion
mail-signin-text = Votre code de connexion est { $code }. Il expire dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}. Si ce n’est pas vous qui essayez de vous connecter, quelqu’un d’autre connaît votre mot de passe : modifiez-le sans attendre.
sms-signin = { $code } est votre code de connexion. Il expire dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}. Ce n’est pas vous ? Modifiez votre mot de passe.
mail-ignore = Si vous n’êtes pas à l’origine de cette demande, vous pouvez ignorer ce message.
mail-signature = { $sender }
sms-activation = { $code } est votre code d’activation. Il expire dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
sms-reset = { $code } est votre code de réinitialisation du mot de passe. Il expire dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.

## Seconds facteurs : TOTP, codes de récupération, choix

mfa-wrong-code-last = Ce code n’est pas valide ou a déjà été utilisé. Au prochain code incorrect, cette méthode sera bloquée pendant 15 minutes.
mfa-recovery-used-one = Ce code a été utilisé et n’est plus valable. Il vous reste un code de récupération.
mfa-recovery-used-none = Ce code a été utilisé et n’est plus valable. C’était votre dernier code de récupération.
mfa-choice-title = Confirmez votre identité
mfa-choice-intro = Choisissez comment confirmer votre connexion.
mfa-choice-enrol-title = Configurer un second facteur
mfa-choice-enrol-intro = Ce compte exige une étape de vérification supplémentaire après le mot de passe. Choisissez la méthode à configurer.
mfa-factor-totp = Application d’authentification
mfa-factor-webauthn = Clé d’accès
mfa-factor-email-otp = Code par e-mail
mfa-factor-sms-otp = Code par SMS
mfa-factor-recovery-code = Code de récupération
mfa-totp-title = Saisissez le code de votre application
mfa-totp-intro = Ouvrez votre application d’authentification et saisissez le code à 6 chiffres qu’elle affiche pour ce compte.
mfa-code-label = Code
mfa-verify = Vérifier
mfa-wrong-code = { $n ->
    [one] Ce code n’est pas valide ou a déjà été utilisé. Au prochain code incorrect, cette méthode sera bloquée pendant 15 minutes.
   *[other] Ce code n’est pas valide ou a déjà été utilisé. Après { $n } autres codes incorrects, cette méthode sera bloquée pendant 15 minutes.
}
mfa-use-recovery-code = Appareil perdu ? Utilisez un code de récupération
mfa-use-other = Utiliser une autre méthode
mfa-recovery-title = Saisissez un code de récupération
mfa-recovery-intro = Saisissez l’un des codes de récupération que vous avez enregistrés lors de la configuration de votre second facteur. Chaque code n’est utilisable qu’une seule fois.
mfa-recovery-label = Code de récupération
mfa-enrol-totp-title = Configurer une application d’authentification
mfa-enrol-totp-intro = Scannez le code QR avec votre application d’authentification ou saisissez la clé ci-dessous. Saisissez ensuite le code à 6 chiffres affiché par l’application.
mfa-enrol-totp-qr = Code QR à scanner avec votre application d’authentification
mfa-enrol-totp-link = Ouvrir dans une application d’authentification sur cet appareil
mfa-enrol-totp-secret = Clé à saisir manuellement
mfa-enrol-wrong-code = Ce code ne correspond pas. Vérifiez que l’heure de votre appareil est exacte, puis saisissez le code que l’application affiche maintenant.
mfa-recovery-codes-title = Enregistrez vos codes de récupération
mfa-recovery-codes-intro = Si vous perdez votre second facteur, chacun de ces codes vous permet de vous connecter une fois. Ils ne sont affichés qu’une seule fois : copiez-les ou téléchargez-les, puis conservez-les en lieu sûr.
mfa-recovery-codes-copy = Vos codes à copier
mfa-recovery-codes-download = Télécharger sous forme de fichier texte
mfa-recovery-codes-file = codes-de-recuperation.txt
mfa-continue = Continuer
mfa-recovery-used-title = Code de récupération utilisé
mfa-recovery-used-left = { $n ->
    [one] Ce code a été utilisé et n’est plus valable. Il vous reste un code de récupération.
   *[other] Ce code a été utilisé et n’est plus valable. Il vous reste { $n } codes de récupération.
}
mfa-recovery-used-setup = Configurez dès que possible une nouvelle application d’authentification ou une clé d’accès dans les paramètres de votre compte, ou demandez à votre administrateur de réinitialiser votre authentification à deux facteurs.
mfa-locked-title = Trop de codes incorrects
mfa-locked-text = { $n ->
    [one] Cette méthode de connexion a été bloquée après trop de codes incorrects. Veuillez réessayer à partir de { $time } UTC (dans une minute).
   *[other] Cette méthode de connexion a été bloquée après trop de codes incorrects. Veuillez réessayer à partir de { $time } UTC (dans { $n } minutes).
}
mfa-not-available = Cette étape n’est pas disponible pour cette connexion. Veuillez revenir à l’application et réessayer.
mfa-locked-hard-text = Cette méthode de connexion a été bloquée après trop de codes incorrects. Pour la débloquer, connectez-vous avec un code de récupération ou une autre méthode, ou demandez à votre administrateur de réinitialiser votre authentification à deux facteurs.
mfa-locked-mail-subject = Une méthode de connexion à votre compte a été bloquée
mfa-locked-mail-text = Votre méthode de connexion « { $factor } » a été bloquée après plusieurs codes incorrects. Quelqu’un qui connaît votre mot de passe essaie peut-être de se connecter : si ce n’était pas vous, changez votre mot de passe dès maintenant.
mfa-recovery-download-gone = Le téléchargement n’est plus disponible : les codes n’étaient proposés qu’une seule fois, avec la page qui les affichait.
mfa-recovery-codes-shown = Vos codes de récupération n’ont été affichés qu’une seule fois, sur la page précédente. Si vous ne les avez pas enregistrés, continuez, puis demandez à votre administrateur de réinitialiser votre authentification à deux facteurs pour en obtenir de nouveaux.

## Codes par e-mail et SMS comme second facteur

email-otp-title = Consultez vos e-mails
email-otp-intro = Nous avons envoyé un code de connexion à 6 chiffres à { $to }. Il expire dans { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}.
sms-otp-title = Consultez vos SMS
sms-otp-intro = Nous avons envoyé un code de connexion à 6 chiffres par SMS au { $to }. Il expire dans { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}.
otp-code-label = Code de connexion
otp-continue = Continuer
otp-resend = Envoyer un nouveau code
otp-resent = Nous vous avons envoyé un nouveau code.
otp-error-summary = Un problème est survenu
otp-missing = Saisissez le code à 6 chiffres que nous vous avons envoyé.
otp-wrong = { $n ->
    [one] Ce code est incorrect. Il vous reste une tentative.
   *[other] Ce code est incorrect. Il vous reste { $n } tentatives.
}
otp-locked = Trop de codes incorrects. Demandez un nouveau code.

## Clés d’accès

passkey-sign-in = Se connecter avec une clé d’accès
passkey-or = ou
passkey-title = Confirmez avec votre clé d’accès
passkey-intro = Utilisez la clé d’accès de cet appareil ou votre clé de sécurité : confirmez qu’il s’agit bien de vous avec votre empreinte digitale, la reconnaissance faciale ou le verrouillage de l’écran.
passkey-use = Utiliser la clé d’accès
passkey-enrol-title = Créer une clé d’accès
passkey-enrol-intro = Une clé d’accès vous permet de vous connecter avec votre empreinte digitale, la reconnaissance faciale ou le verrouillage de l’écran, sans mot de passe. Elle reste sur votre appareil ou votre clé de sécurité.
passkey-create = Créer la clé d’accès
passkey-failed = La clé d’accès n’a pas pu être utilisée. Veuillez réessayer ou choisir une autre méthode.
passkey-refused = Cette clé d’accès ne peut pas être utilisée ici.
passkey-expired = Cette demande de clé d’accès a expiré. Veuillez réessayer.
passkey-unsupported = Ce navigateur ne prend pas en charge les clés d’accès ici, ou JavaScript est désactivé.
passkey-other-way = Utiliser une autre méthode
passkey-no-other-way = Si vous ne pouvez pas utiliser de clé d’accès, veuillez revenir à l’application et vous reconnecter.

## Theme studio

studio-title = Studio de thèmes
studio-signed-in-as = Session de { $user }
studio-sign-out = Se déconnecter
studio-signed-out-title = Vous avez quitté le studio
studio-signed-out-text = Votre session du studio est terminée. Les brouillons enregistrés sont conservés.
studio-sign-in-again = Se reconnecter
studio-continue = Continuer vers le studio
studio-signed-in-title = Connexion réussie
studio-not-set-up-title = Le studio de thèmes n’est pas encore configuré
studio-not-set-up-text = Pour l’activer, un administrateur enregistre un client public de cette organisation avec cette URI de redirection :
studio-refused-title = Pas d’accès au studio de thèmes
studio-refused-text = Votre compte ne peut pas modifier les thèmes de cette organisation. Un administrateur peut vous accorder le privilège tenant-admin.
studio-expired-title = La connexion n’a pas abouti
studio-expired-text = Elle a été annulée, a pris trop de temps ou a été commencée dans une autre fenêtre. Veuillez recommencer.
studio-needs-js = Le studio de thèmes a besoin de JavaScript. Veuillez l’activer pour ce site.
studio-editing = Niveau à modifier
studio-layer-tenant = Toute l’organisation (tous les espaces de travail)
studio-layer-workspace = Espace de travail : { $name }
studio-layer-client = Application : { $name } (espace de travail { $workspace })
studio-status-draft = Vous modifiez votre brouillon enregistré. Les visiteurs voient toujours le thème publié.
studio-status-published = Aucun brouillon : vous partez du thème publié.
studio-status-new = Rien n’est encore publié ici : tous les réglages sont hérités.
studio-unsaved = Modifications non enregistrées.
studio-brand = Marque
studio-product-name = Nom du produit
studio-logo = Logo
studio-favicon = Favicon
studio-background = Image d’arrière-plan
studio-upload-hint = PNG, WebP ou SVG.
studio-remove = Retirer
studio-inherited = Hérité
studio-layout = Mise en page
studio-layout-centered = Carte au centre
studio-layout-split = Panneau de marque à côté de la carte
studio-scheme = Jeu de couleurs
studio-scheme-auto = Suivre le réglage de l’appareil
studio-scheme-light = Toujours clair
studio-scheme-dark = Toujours sombre
studio-colours = Couleurs
studio-light = Clair
studio-dark = Sombre
studio-reset = Réinitialiser
studio-color-primary = Boutons et panneau de marque
studio-color-primary-contrast = Texte des boutons
studio-color-background = Fond de page
studio-color-surface = Fond de la carte
studio-color-text = Texte
studio-color-muted = Texte secondaire
studio-color-error = Erreurs
studio-color-border = Bordures
studio-color-link = Liens
studio-color-success = Messages de réussite
studio-color-warning = Avertissements
studio-color-info = Informations
studio-color-focus = Contour de focus
studio-type = Typographie et formes
studio-font = Police
studio-font-system = Police du système
studio-font-neo = Linéale neutre (Helvetica, Arial)
studio-font-geometric = Linéale géométrique (Avenir, Montserrat)
studio-font-humanist = Linéale humaniste (Optima, Candara)
studio-font-serif = Avec empattements (Charter, Cambria)
studio-font-oldstyle = Empattements classiques (Palatino)
studio-font-mono = Chasse fixe
studio-font-upload = Votre propre police (fichier WOFF2)
studio-font-family-name = Nom de votre police
studio-radius = Arrondi des angles (px)
studio-card-width = Largeur de la carte (rem)
studio-logo-height = Hauteur du logo (rem)
studio-texts = Textes
studio-texts-locale = Langue
studio-texts-search = Chercher un texte
studio-texts-hint = Laissez un champ vide pour garder le texte qu’il affiche. Gardez tels quels les mots entre accolades : la page les remplit.
studio-texts-none = Aucun texte ne correspond à votre recherche.
studio-locale-en = Anglais
studio-locale-de = Allemand
studio-locale-fr = Français
studio-locale-es = Espagnol
studio-locale-ar = Arabe
studio-save = Enregistrer le brouillon
studio-publish = Publier
studio-discard = Abandonner le brouillon
studio-saved = Brouillon enregistré.
studio-published = Publié. Les visiteurs voient maintenant cette version.
studio-discarded = Brouillon abandonné.
studio-restored = Version restaurée et publiée.
studio-uploaded = Fichier envoyé.
studio-problems = Veuillez vérifier ces réglages :
studio-failed = Cela n’a pas fonctionné. Veuillez réessayer.
studio-session-over = Votre session du studio est terminée. Rechargez la page pour vous reconnecter.
studio-confirm-switch = Vous avez des modifications non enregistrées. Changer de niveau et les perdre ?
studio-versions = Versions publiées
studio-versions-none = Rien n’est encore publié.
studio-version = Version
studio-restore = Restaurer
studio-current = En ligne
studio-restores = restauration de la version
studio-preview = Aperçu
studio-preview-in = Aperçu dans l’espace de travail
studio-preview-page = Page
studio-preview-refused = L’aperçu ne peut pas encore afficher ces réglages :
studio-width = Largeur
studio-desktop = Ordinateur
studio-mobile = Mobile
studio-mode = Mode
studio-busy-title = Trop de connexions lancées
studio-busy-text = Des connexions au studio ont été lancées trop souvent depuis votre réseau. Veuillez patienter quelques minutes, puis réessayer.

# (end of studio texts)

## Page polish
error-summary-title = Veuillez vérifier votre saisie
label-email-or-phone = Adresse e-mail ou numéro de téléphone
not-you = Ce n’est pas vous ? Utiliser un autre compte
cancel = Annuler
still-signed-in-title = Vous êtes toujours connecté
still-signed-in-text = Rien n’a été modifié. Vous pouvez fermer cette page ou revenir à l’application.
show-password = Afficher le mot de passe
hide-password = Masquer le mot de passe
terms-link = Conditions d’utilisation
privacy-link = Politique de confidentialité
back-to-app = Retour à { $app }
signed-in-as = Connecté en tant que { $user }.
sign-out-question-app = { $app } souhaite vous déconnecter. Voulez-vous vous déconnecter ?
error-in-field = { $field } : { $error }
unnamed-app = Une application
unnamed-app-of = Une application enregistrée chez { $workspace }
# (end of polish texts)

## Theme folders and templates

theme-serve-title = Aperçu du thème : { $folder }
theme-serve-intro = Toutes les pages avec ce dossier de thème appliqué, remplies de données d’exemple, dans chaque langue, en mode clair et en mode sombre. Une page se recharge d’elle-même dès qu’un fichier du dossier change.
theme-serve-page = Page
theme-serve-light = Clair
theme-serve-dark = Sombre
theme-serve-problems = Ce dossier de thème n’est pas encore utilisable
theme-serve-problems-hint = Corrigez les points ci-dessous. Cette page se recharge d’elle-même lorsque vous enregistrez un fichier.
theme-serve-file = Fichier
theme-serve-setting = Paramètre
theme-serve-problem = Problème
theme-serve-wrong-host = Cet aperçu ne répond que sur cet ordinateur, à l’adresse localhost, 127.0.0.1 ou [::1], port { $port }.
# (end of theme folder texts)
