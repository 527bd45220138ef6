# Textos de Portcullis: español (tratamiento de usted).

## Inicio de sesión

sign-in = Iniciar sesión
sign-in-to = Inicie sesión para continuar en { $client }.
username-or-email = Nombre de usuario o correo electrónico
password = Contraseña
bad-credentials = El nombre de usuario o la contraseña no son correctos.
too-many-attempts = Demasiados intentos fallidos. Espere 15 minutos o restablezca su contraseña.
too-many-codes = Se han solicitado demasiados códigos para esta dirección o desde su red. Espere una hora y vuelva a intentarlo.
wait-seconds = { $n ->
    [one] Varios intentos han fallado. Espere un segundo antes de volver a intentarlo.
   *[other] Varios intentos han fallado. Espere { $n } segundos antes de volver a intentarlo.
}
forgot-password = ¿Ha olvidado su contraseña?
create-account-link = Crear una cuenta

## Consentimiento

consent-title = ¿Permitir el acceso?
consent-intro = { $client } quiere:
allow = Permitir
deny = Denegar
scope-openid = Saber quién es usted
scope-profile = Ver su nombre y su perfil
scope-email = Ver su dirección de correo electrónico
scope-phone = Ver su número de teléfono
scope-address = Ver su dirección postal
scope-offline-access = Mantener el acceso mientras usted no esté
scope-admin = Administrar en su nombre las cuentas y la configuración de esta organización
scope-admin-warning = Esto concede a la aplicación sus derechos de administrador. Permítalo solo a una herramienta de administración de confianza.
scope-other = Otro acceso a su cuenta

## Cierre de sesión

signed-out = Sesión cerrada
signed-out-text = Ha cerrado la sesión.
sign-out-title = Cerrar sesión
sign-out-question = ¿Desea cerrar la sesión?
sign-out = Cerrar sesión

## Errores

error-title = Algo ha salido mal
error-code = Código de error
error-details = Detalles técnicos
error-reference = Referencia: { $reference }
form-expired = Este formulario ha caducado. Vuelva a empezar.
form-expired-flow = Este formulario ha caducado. Vuelva a la aplicación e inténtelo de nuevo.
flow-expired = Este inicio de sesión ha caducado o ya no es válido. Vuelva a la aplicación e inténtelo de nuevo.
code-expired = Este código ha caducado o se ha introducido demasiadas veces. Vuelva a empezar.
client-gone = Esta aplicación ya no está disponible.
sign-in-first = Primero inicie sesión.
choose-allow-deny = Elija «Permitir» o «Denegar».
no-registration = Esta aplicación no permite crear cuentas.
not-found = Esta página no existe.
bad-request = La aplicación ha enviado una solicitud que no se puede procesar. Vuelva a la aplicación e inténtelo de nuevo.
unavailable = El servicio no está disponible en este momento. Inténtelo de nuevo dentro de un momento.
internal-error = Se ha producido un error por nuestra parte. Inténtelo de nuevo más tarde.
sample-error = Este es un ejemplo de mensaje de error.

## Registro

register-title = Cree su cuenta
register-submit = Crear cuenta
optional = (opcional)
have-account = ¿Ya tiene una cuenta? Inicie sesión
label-username = Nombre de usuario
label-email = Correo electrónico
label-phone = Número de teléfono
claim-given-name = Nombre
claim-family-name = Apellidos
claim-middle-name = Segundo nombre
claim-nickname = Apodo
claim-preferred-username = Nombre de usuario preferido
claim-birthdate = Fecha de nacimiento
claim-gender = Género
claim-zoneinfo = Zona horaria
claim-locale = Idioma
claim-website = Sitio web
claim-profile = Página de perfil
claim-picture = Foto
field-required = Rellene este campo.
field-taken = Este valor ya está en uso. Elija otro.
field-invalid = Revise este dato.
form-problem = Corrija los datos marcados a continuación.
password-invalid = Esta contraseña no cumple los requisitos indicados a continuación.

## Requisitos de la contraseña

rule-min-length = { $n ->
    [one] Al menos un carácter
   *[other] Al menos { $n } caracteres
}
rule-max-length = { $n ->
    [one] Como máximo un carácter
   *[other] Como máximo { $n } caracteres
}
rule-lowercase = Una letra minúscula
rule-uppercase = Una letra mayúscula
rule-digit = Un número
rule-symbol = Un símbolo, como ! o %
rule-identifier = Distinta de su nombre de usuario, su correo electrónico y su número de teléfono
rule-common = Que no sea una contraseña habitual
rule-history-one = Distinta de su contraseña anterior
rule-history = Distinta de sus últimas { $n } contraseñas

## Códigos

verify-title = Confirme su dirección
reset-confirm-title = Elija una contraseña nueva
code-intro = Si { $address } pertenece a una cuenta, le hemos enviado un código de 6 dígitos. El código caduca en { $minutes } minutos.
code-label = Código
new-password = Contraseña nueva
continue-button = Continuar
resend = Enviar un código nuevo
code-resent = Le hemos enviado un código nuevo.
resend-limited = Se han solicitado demasiados códigos. Espere una hora o utilice el último código que recibió.
code-wrong = { $left ->
    [one] El código no es correcto. Le queda un intento.
   *[other] El código no es correcto. Le quedan { $left } intentos.
}

## Restablecer la contraseña

reset-title = Restablezca su contraseña
reset-intro = Enviaremos un código al correo electrónico o al número de teléfono de su cuenta.
reset-identifier = Correo electrónico o número de teléfono
reset-not-address = Introduzca el correo electrónico o el número de teléfono de su cuenta.
send-code = Enviar código
password-changed-title = Contraseña cambiada
password-changed-text = Su contraseña se ha cambiado y se ha cerrado su sesión en todas partes. Inicie sesión con su contraseña nueva.

## Activación

activate-title = Active su cuenta
activate-submit = Activar
activated-title = Cuenta activada
activated-text = Su cuenta está lista. Vuelva a la aplicación para iniciar sesión.
activation-link-expired = Este enlace de activación ha caducado o ya se ha utilizado.

## Correo electrónico y SMS

mail-activation-subject = Su código de activación
mail-activation-text = Su código de activación es { $code }. Caduca en { $minutes } minutos.
mail-reset-subject = Restablezca su contraseña
mail-reset-text = Su código para restablecer la contraseña es { $code }. Caduca en { $minutes } minutos.
mail-reset-link = También puede abrir este enlace para elegir una contraseña nueva:
mail-existing-subject = Ya tiene una cuenta
mail-existing-text = Alguien ha intentado crear una cuenta con esta dirección, pero usted ya tiene una. Puede iniciar sesión o restablecer su contraseña si la ha olvidado.
mail-existing-link = Restablecer la contraseña
mail-invite-subject = Active su cuenta
mail-invite-text = { $days ->
    [one] Se ha creado una cuenta para usted. Actívela en el plazo de un día.
   *[other] Se ha creado una cuenta para usted. Actívela en un plazo de { $days } días.
}
mail-invite-link = Activar su cuenta
mail-ignore = Si no ha solicitado esto, puede ignorar este mensaje.
mail-signature = { $sender }
sms-activation = { $code } es su código de activación. Caduca en { $minutes } minutos.
sms-reset = { $code } es su código para restablecer la contraseña. Caduca en { $minutes } minutos.
