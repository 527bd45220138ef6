# Textes de Portcullis : français (vouvoiement).

## Connexion

sign-in = Se connecter
sign-in-to = Connectez-vous pour continuer vers { $client }.
username-or-email = Nom d’utilisateur ou adresse e-mail
password = Mot de passe
bad-credentials = Le nom d’utilisateur ou le mot de passe est incorrect.
too-many-attempts = Trop de tentatives infructueuses. Veuillez patienter 15 minutes ou réinitialiser votre mot de passe.
too-many-codes = Trop de codes ont été demandés pour cette adresse ou depuis votre réseau. Veuillez patienter une heure, puis réessayer.
wait-seconds = { $n ->
    [one] Plusieurs tentatives ont échoué. Veuillez patienter une seconde avant de réessayer.
   *[other] Plusieurs tentatives ont échoué. Veuillez patienter { $n } secondes avant de réessayer.
}
forgot-password = Mot de passe oublié ?
create-account-link = Créer un compte

## Consentement

consent-title = Autoriser l’accès ?
consent-intro = { $client } souhaite :
allow = Autoriser
deny = Refuser
scope-openid = Savoir qui vous êtes
scope-profile = Voir votre nom et votre profil
scope-email = Voir votre adresse e-mail
scope-phone = Voir votre numéro de téléphone
scope-address = Voir votre adresse postale
scope-offline-access = Conserver l’accès en votre absence
scope-admin = Gérer en votre nom les comptes et les paramètres de cette organisation
scope-admin-warning = L’application obtiendra ainsi vos droits d’administrateur. N’autorisez cela que pour un outil d’administration de confiance.
scope-other = Autre accès à votre compte

## Déconnexion

signed-out = Déconnecté
signed-out-text = Vous avez été déconnecté.
sign-out-title = Se déconnecter
sign-out-question = Voulez-vous vous déconnecter ?
sign-out = Se déconnecter

## Erreurs

error-title = Un problème est survenu
error-code = Code d’erreur
error-details = Détails techniques
error-reference = Référence : { $reference }
form-expired = Ce formulaire a expiré. Veuillez recommencer.
form-expired-flow = Ce formulaire a expiré. Veuillez revenir à l’application et réessayer.
flow-expired = Cette connexion a expiré ou n’est plus valide. Veuillez revenir à l’application et réessayer.
code-expired = Ce code a expiré ou a été saisi trop souvent. Veuillez recommencer.
client-gone = Cette application n’est plus disponible.
sign-in-first = Veuillez d’abord vous connecter.
choose-allow-deny = Veuillez choisir « Autoriser » ou « Refuser ».
no-registration = Cette application ne permet pas de créer un compte.
not-found = Cette page n’existe pas.
bad-request = L’application a envoyé une demande qui ne peut pas être traitée. Veuillez revenir à l’application et réessayer.
unavailable = Le service est momentanément indisponible. Veuillez réessayer dans un instant.
internal-error = Une erreur s’est produite de notre côté. Veuillez réessayer plus tard.
sample-error = Ceci est un exemple de message d’erreur.

## Inscription

register-title = Créer votre compte
register-submit = Créer le compte
optional = (facultatif)
have-account = Vous avez déjà un compte ? Connectez-vous
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
claim-picture = Photo
field-required = Veuillez remplir ce champ.
field-taken = Cette valeur est déjà utilisée. Veuillez en choisir une autre.
field-invalid = Veuillez vérifier cette saisie.
form-problem = Veuillez corriger les champs signalés ci-dessous.
password-invalid = Ce mot de passe ne respecte pas ces exigences :

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
rule-symbol = Un symbole, par exemple ! ou %
rule-identifier = Différent de votre nom d’utilisateur, de votre adresse e-mail et de votre numéro de téléphone
rule-common = Pas un mot de passe courant
rule-history-one = Différent de votre mot de passe précédent
rule-history = Différent de vos { $n } derniers mots de passe

## Codes

verify-title = Confirmez votre adresse
reset-confirm-title = Choisissez un nouveau mot de passe
code-intro = Si { $address } est associée à un compte, nous y avons envoyé un code à 6 chiffres. Ce code expire dans { $minutes } minutes.
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
reset-intro = Nous enverrons un code à l’adresse e-mail ou au numéro de téléphone de votre compte.
reset-identifier = Adresse e-mail ou numéro de téléphone
reset-not-address = Veuillez saisir l’adresse e-mail ou le numéro de téléphone de votre compte.
send-code = Envoyer le code
password-changed-title = Mot de passe modifié
password-changed-text = Votre mot de passe a été modifié et vous avez été déconnecté partout. Connectez-vous avec votre nouveau mot de passe.

## Activation

activate-title = Activer votre compte
activate-submit = Activer
activated-title = Compte activé
activated-text = Votre compte est prêt. Revenez à l’application pour vous connecter.
activation-link-expired = Ce lien d’activation a expiré ou a déjà été utilisé.

## E-mail et SMS

mail-activation-subject = Votre code d’activation
mail-activation-text = Votre code d’activation est { $code }. Il expire dans { $minutes } minutes.
mail-reset-subject = Réinitialiser votre mot de passe
mail-reset-text = Votre code de réinitialisation du mot de passe est { $code }. Il expire dans { $minutes } minutes.
mail-reset-link = Vous pouvez aussi ouvrir ce lien pour choisir un nouveau mot de passe :
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
mail-signin-text = Votre code de connexion est { $code }. Il expire dans { $minutes } minutes. Si vous n’êtes pas en train de vous connecter, quelqu’un d’autre connaît votre mot de passe : veuillez le modifier.
sms-signin = { $code } est votre code de connexion. Il expire dans { $minutes } minutes. Ce n’est pas vous ? Modifiez votre mot de passe.
mail-ignore = Si vous n’êtes pas à l’origine de cette demande, vous pouvez ignorer ce message.
mail-signature = { $sender }
sms-activation = { $code } est votre code d’activation. Il expire dans { $minutes } minutes.
sms-reset = { $code } est votre code de réinitialisation du mot de passe. Il expire dans { $minutes } minutes.

## Seconds facteurs : TOTP, codes de récupération, choix

mfa-wrong-code-last = Ce code n’est pas valide ou a déjà été utilisé. Un code erroné de plus bloquera cette méthode pendant 15 minutes.
mfa-recovery-used-one = Ce code est désormais utilisé. Il vous reste 1 code de récupération.
mfa-recovery-used-none = Ce code est désormais utilisé. C’était votre dernier code de récupération.
mfa-choice-title = Confirmez votre identité
mfa-choice-intro = Choisissez comment confirmer votre connexion.
mfa-choice-enrol-title = Configurer un second facteur
mfa-choice-enrol-intro = Ce compte exige une seconde étape après le mot de passe. Choisissez ce que vous souhaitez configurer.
mfa-factor-totp = Application d’authentification
mfa-factor-webauthn = Clé d’accès
mfa-factor-email-otp = Code par e-mail
mfa-factor-sms-otp = Code par SMS
mfa-factor-recovery-code = Code de récupération
mfa-totp-title = Saisissez le code de votre application
mfa-totp-intro = Ouvrez votre application d’authentification et saisissez le code à 6 chiffres qu’elle affiche pour ce compte.
mfa-code-label = Code
mfa-verify = Vérifier
mfa-wrong-code = Ce code n’est pas valide ou a déjà été utilisé. Après { $n } codes erronés de plus, cette méthode sera bloquée pendant 15 minutes.
mfa-use-recovery-code = Appareil perdu ? Utilisez un code de récupération
mfa-use-other = Utiliser une autre méthode
mfa-recovery-title = Saisissez un code de récupération
mfa-recovery-intro = Saisissez l’un des codes de récupération que vous avez enregistrés lors de la configuration de votre second facteur. Chaque code ne fonctionne qu’une fois.
mfa-recovery-label = Code de récupération
mfa-enrol-totp-title = Configurer une application d’authentification
mfa-enrol-totp-intro = Scannez le code QR avec votre application d’authentification ou saisissez la clé ci-dessous. Saisissez ensuite le code à 6 chiffres affiché par l’application.
mfa-enrol-totp-qr = Code QR à scanner avec votre application d’authentification
mfa-enrol-totp-link = Ouvrir dans une application d’authentification sur cet appareil
mfa-enrol-totp-secret = Clé à saisir
mfa-enrol-wrong-code = Ce code ne correspond pas. Vérifiez que l’heure de votre appareil est exacte et saisissez le code que l’application affiche maintenant.
mfa-recovery-codes-title = Enregistrez vos codes de récupération
mfa-recovery-codes-intro = Si vous perdez votre second facteur, chacun de ces codes vous permet de vous connecter une fois. Ils ne sont affichés que maintenant : copiez-les ou téléchargez-les et conservez-les en lieu sûr.
mfa-recovery-codes-copy = Vos codes, à copier
mfa-recovery-codes-download = Télécharger sous forme de fichier texte
mfa-recovery-codes-file = codes-de-recuperation.txt
mfa-continue = Continuer
mfa-recovery-used-title = Code de récupération utilisé
mfa-recovery-used-left = Ce code est désormais utilisé. Il vous reste { $n } codes de récupération.
mfa-recovery-used-setup = Configurez dès que possible une nouvelle application d’authentification ou une clé d’accès (dans les paramètres de votre compte, ou demandez à votre administrateur de réinitialiser vos seconds facteurs).
mfa-locked-title = Trop de codes erronés
mfa-locked-text = { $n ->
    [one] Cette méthode de connexion est bloquée après trop de codes erronés. Veuillez réessayer après { $time } UTC (dans une minute).
   *[other] Cette méthode de connexion est bloquée après trop de codes erronés. Veuillez réessayer après { $time } UTC (dans { $n } minutes).
}
mfa-not-available = Cette étape n’est pas disponible pour cette connexion. Veuillez revenir à l’application et réessayer.
mfa-locked-hard-text = Cette méthode de connexion est verrouillée après trop de codes erronés. Connectez-vous avec un code de récupération ou une autre méthode pour la déverrouiller, ou demandez à votre administrateur de réinitialiser vos seconds facteurs.
mfa-locked-mail-subject = Une méthode de connexion de votre compte a été verrouillée
mfa-locked-mail-text = Votre méthode de connexion « { $factor } » a été verrouillée après plusieurs codes erronés. Quelqu’un qui connaît votre mot de passe essaie peut-être de se connecter : si ce n’était pas vous, changez votre mot de passe dès maintenant.
mfa-recovery-download-gone = Le téléchargement n’est plus disponible : les codes n’ont été proposés qu’une fois, avec la page qui les affichait.
mfa-recovery-codes-shown = Vos codes de récupération ont été affichés une seule fois, sur la page précédente. Si vous ne les avez pas enregistrés, continuez, puis demandez à votre administrateur de réinitialiser vos seconds facteurs pour en obtenir de nouveaux.

## Codes par e-mail et SMS comme second facteur

email-otp-title = Consultez vos e-mails
email-otp-intro = Nous avons envoyé un code de connexion à 6 chiffres à { $to }. Il expire dans { $n } minutes.
sms-otp-title = Consultez votre téléphone
sms-otp-intro = Nous avons envoyé un code de connexion à 6 chiffres par SMS au { $to }. Il expire dans { $n } minutes.
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
otp-locked = Trop de codes erronés. Demandez un nouveau code.

## Clés d’accès

passkey-sign-in = Se connecter avec une clé d’accès
passkey-or = ou
passkey-title = Confirmez avec votre clé d’accès
passkey-intro = Utilisez la clé d’accès de cet appareil ou votre clé de sécurité : votre empreinte digitale, votre visage ou le verrouillage de l’écran confirme qu’il s’agit bien de vous.
passkey-use = Utiliser la clé d’accès
passkey-enrol-title = Créer une clé d’accès
passkey-enrol-intro = Une clé d’accès vous permet de vous connecter avec votre empreinte digitale, votre visage ou le verrouillage de l’écran au lieu d’un mot de passe. Elle reste sur votre appareil ou votre clé de sécurité.
passkey-create = Créer la clé d’accès
passkey-failed = La clé d’accès n’a pas pu être utilisée. Veuillez réessayer ou choisir un autre moyen.
passkey-refused = Cette clé d’accès ne peut pas être utilisée ici.
passkey-expired = Cette demande de clé d’accès a expiré. Veuillez réessayer.
passkey-unsupported = Ce navigateur ne peut pas utiliser de clés d’accès ici, ou JavaScript est désactivé.
passkey-other-way = Utiliser un autre moyen
passkey-no-other-way = Sans clé d’accès, veuillez revenir à l’application et vous reconnecter.

## Theme studio
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
# (end of polish texts)

## Theme folders and templates
# (end of theme folder texts)
