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
    [one] Varios intentos de inicio de sesión han fallado. Espere un segundo antes de volver a intentarlo.
   *[other] Varios intentos de inicio de sesión han fallado. Espere { $n } segundos antes de volver a intentarlo.
}
forgot-password = ¿Ha olvidado su contraseña?
create-account-link = Crear una cuenta

## Consentimiento

consent-title = ¿Permitir el acceso?
consent-intro = { $client } quiere:
allow = Permitir
deny = Denegar
scope-openid = Saber quién es usted
scope-profile = Ver su nombre y los datos de su perfil
scope-email = Ver su dirección de correo electrónico
scope-phone = Ver su número de teléfono
scope-address = Ver su dirección postal
scope-offline-access = Mantener el acceso aunque usted no esté usando la aplicación
scope-admin = Administrar en su nombre las cuentas y la configuración de esta organización
scope-admin-warning = Esto concede a la aplicación sus permisos de administrador. Permítalo solo si se trata de una herramienta de administración de confianza.
scope-other = Acceder a otros datos de su cuenta

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
sign-in-first = Inicie sesión primero.
choose-allow-deny = Elija «Permitir» o «Denegar».
no-registration = Esta aplicación no permite crear cuentas.
not-found = Esta página no existe.
bad-request = La aplicación ha enviado una solicitud que no se puede procesar. Vuelva a la aplicación e inténtelo de nuevo.
unavailable = El servicio no está disponible temporalmente. Inténtelo de nuevo en unos instantes.
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
claim-picture = Foto de perfil
field-required = Rellene este campo.
field-taken = Este valor ya está en uso. Elija otro.
field-invalid = Revise este dato.
form-problem = Corrija los datos marcados a continuación.
password-invalid = Esta contraseña no cumple los siguientes requisitos:

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
rule-symbol = Un carácter especial, como ! o %
rule-identifier = Distinta de su nombre de usuario, su correo electrónico y su número de teléfono
rule-common = Que no sea una contraseña de uso común
rule-history-one = Distinta de su contraseña anterior
rule-history = { $n ->
    [one] Distinta de su contraseña anterior
   *[other] Distinta de sus últimas { $n } contraseñas
}

## Códigos

verify-title = Confirme su dirección
reset-confirm-title = Elija una nueva contraseña
code-intro = Si { $address } pertenece a una cuenta, le hemos enviado un código de 6 dígitos. El código caduca en { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}.
code-label = Código
new-password = Nueva contraseña
continue-button = Continuar
resend = Enviar un nuevo código
code-resent = Le hemos enviado un nuevo código.
resend-limited = Se han solicitado demasiados códigos. Espere una hora o utilice el último código que recibió.
code-wrong = { $left ->
    [one] El código no es correcto. Le queda un intento.
   *[other] El código no es correcto. Le quedan { $left } intentos.
}

## Restablecer la contraseña

reset-title = Restablezca su contraseña
reset-intro = Enviaremos un código al correo electrónico o al número de teléfono asociado a su cuenta.
reset-identifier = Correo electrónico o número de teléfono
reset-not-address = Introduzca el correo electrónico o el número de teléfono asociado a su cuenta.
send-code = Enviar código
password-changed-title = Contraseña cambiada
password-changed-text = Su contraseña se ha cambiado y se ha cerrado su sesión en todos los dispositivos. Inicie sesión con su nueva contraseña.

## Activación

activate-title = Active su cuenta
activate-submit = Activar
activated-title = Cuenta activada
activated-text = Su cuenta ya está lista. Vuelva a la aplicación para iniciar sesión.
activation-link-expired = Este enlace de activación ha caducado o ya se ha utilizado.

## Correo electrónico y SMS

mail-activation-subject = Su código de activación
mail-activation-text = Su código de activación es { $code }. Caduca en { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}.
mail-reset-subject = Restablezca su contraseña
mail-reset-text = Su código para restablecer la contraseña es { $code }. Caduca en { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}.
mail-reset-link = También puede abrir este enlace para elegir una nueva contraseña:
mail-existing-subject = Ya tiene una cuenta
mail-existing-text = Alguien ha intentado crear una cuenta con esta dirección, pero usted ya tiene una. Puede iniciar sesión o, si ha olvidado su contraseña, restablecerla.
mail-existing-link = Restablecer la contraseña
mail-invite-subject = Active su cuenta
mail-invite-text = { $days ->
    [one] Se ha creado una cuenta para usted. Actívela en un plazo de un día.
   *[other] Se ha creado una cuenta para usted. Actívela en un plazo de { $days } días.
}
mail-invite-link = Activar su cuenta
mail-signin-subject = Su código de inicio de sesión
mail-signin-text = Su código de inicio de sesión es { $code }. Caduca en { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}. Si no es usted quien está iniciando sesión en este momento, otra persona conoce su contraseña: cámbiela cuanto antes.
sms-signin = { $code } es su código de inicio de sesión. Caduca en { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}. ¿No ha sido usted? Cambie su contraseña.
mail-ignore = Si no lo ha solicitado usted, puede ignorar este mensaje.
mail-signature = { $sender }
sms-activation = { $code } es su código de activación. Caduca en { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}.
sms-reset = { $code } es su código para restablecer la contraseña. Caduca en { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}.

## Segundos factores: TOTP, códigos de recuperación, elección

mfa-wrong-code-last = Este código no es válido o ya se ha utilizado. Si introduce otro código incorrecto, este método se bloqueará durante 15 minutos.
mfa-recovery-used-one = Este código ya se ha utilizado y no volverá a funcionar. Le queda un código de recuperación.
mfa-recovery-used-none = Este código ya se ha utilizado y no volverá a funcionar. Era su último código de recuperación.
mfa-choice-title = Confirme su identidad
mfa-choice-intro = Elija cómo desea confirmar su inicio de sesión.
mfa-choice-enrol-title = Configure un segundo factor
mfa-choice-enrol-intro = Esta cuenta requiere un paso adicional después de la contraseña. Elija el método que desea configurar.
mfa-factor-totp = Aplicación de autenticación
mfa-factor-webauthn = Llave de acceso
mfa-factor-email-otp = Código por correo electrónico
mfa-factor-sms-otp = Código por SMS
mfa-factor-recovery-code = Código de recuperación
mfa-totp-title = Introduzca el código de su aplicación
mfa-totp-intro = Abra su aplicación de autenticación e introduzca el código de 6 dígitos que muestra para esta cuenta.
mfa-code-label = Código
mfa-verify = Verificar
mfa-wrong-code = { $n ->
    [one] Este código no es válido o ya se ha utilizado. Si introduce otro código incorrecto, este método se bloqueará durante 15 minutos.
   *[other] Este código no es válido o ya se ha utilizado. Si introduce { $n } códigos incorrectos más, este método se bloqueará durante 15 minutos.
}
mfa-use-recovery-code = ¿Ha perdido su dispositivo? Use un código de recuperación
mfa-use-other = Usar otro método
mfa-recovery-title = Introduzca un código de recuperación
mfa-recovery-intro = Introduzca uno de los códigos de recuperación que guardó al configurar su segundo factor. Cada código solo se puede usar una vez.
mfa-recovery-label = Código de recuperación
mfa-enrol-totp-title = Configure una aplicación de autenticación
mfa-enrol-totp-intro = Escanee el código QR con su aplicación de autenticación o introduzca la clave que aparece a continuación. Después, introduzca el código de 6 dígitos que muestra la aplicación.
mfa-enrol-totp-qr = Código QR para escanear con su aplicación de autenticación
mfa-enrol-totp-link = Abrir en una aplicación de autenticación de este dispositivo
mfa-enrol-totp-secret = Clave para introducir manualmente
mfa-enrol-wrong-code = El código no coincide. Compruebe que la hora de su dispositivo es correcta e introduzca el código que muestra ahora la aplicación.
mfa-recovery-codes-title = Guarde sus códigos de recuperación
mfa-recovery-codes-intro = Si pierde su segundo factor, cada uno de estos códigos le permite iniciar sesión una vez. Solo se muestran ahora: cópielos o descárguelos y guárdelos en un lugar seguro.
mfa-recovery-codes-copy = Sus códigos para copiar
mfa-recovery-codes-download = Descargar como archivo de texto
mfa-recovery-codes-file = codigos-de-recuperacion.txt
mfa-continue = Continuar
mfa-recovery-used-title = Código de recuperación utilizado
mfa-recovery-used-left = { $n ->
    [one] Este código ya se ha utilizado y no volverá a funcionar. Le queda un código de recuperación.
   *[other] Este código ya se ha utilizado y no volverá a funcionar. Le quedan { $n } códigos de recuperación.
}
mfa-recovery-used-setup = Configure cuanto antes una nueva aplicación de autenticación o una llave de acceso en la configuración de su cuenta, o pida a su administrador que restablezca su verificación en dos pasos.
mfa-locked-title = Demasiados códigos incorrectos
mfa-locked-text = { $n ->
    [one] Este método de inicio de sesión se ha bloqueado tras demasiados códigos incorrectos. Inténtelo de nuevo a partir de las { $time } UTC (dentro de un minuto).
   *[other] Este método de inicio de sesión se ha bloqueado tras demasiados códigos incorrectos. Inténtelo de nuevo a partir de las { $time } UTC (dentro de { $n } minutos).
}
mfa-not-available = Este paso no está disponible para este inicio de sesión. Vuelva a la aplicación e inténtelo de nuevo.
mfa-locked-hard-text = Este método de inicio de sesión se ha bloqueado tras demasiados códigos incorrectos. Para desbloquearlo, inicie sesión con un código de recuperación u otro método, o pida a su administrador que restablezca su verificación en dos pasos.
mfa-locked-mail-subject = Se ha bloqueado un método de inicio de sesión de su cuenta
mfa-locked-mail-text = Su método de inicio de sesión «{ $factor }» se ha bloqueado tras varios códigos incorrectos. Es posible que alguien que conoce su contraseña esté intentando iniciar sesión: si no ha sido usted, cambie su contraseña ahora mismo.
mfa-recovery-download-gone = La descarga ya no está disponible: los códigos solo se ofrecían una vez, junto con la página que los mostraba.
mfa-recovery-codes-shown = Sus códigos de recuperación se mostraron una sola vez, en la página anterior. Si no los guardó, continúe y pida a su administrador que restablezca su verificación en dos pasos para obtener otros nuevos.

## Códigos por correo electrónico y SMS como segundo factor

email-otp-title = Revise su correo electrónico
email-otp-intro = Hemos enviado un código de inicio de sesión de 6 dígitos a { $to }. Caduca en { $n ->
    [one] { $n } minuto
   *[other] { $n } minutos
}.
sms-otp-title = Revise sus SMS
sms-otp-intro = Hemos enviado un código de inicio de sesión de 6 dígitos por SMS al { $to }. Caduca en { $n ->
    [one] { $n } minuto
   *[other] { $n } minutos
}.
otp-code-label = Código de inicio de sesión
otp-continue = Continuar
otp-resend = Enviar un nuevo código
otp-resent = Le hemos enviado un nuevo código.
otp-error-summary = Se ha producido un problema
otp-missing = Introduzca el código de 6 dígitos que le hemos enviado.
otp-wrong = { $n ->
    [one] El código no es correcto. Le queda un intento.
   *[other] El código no es correcto. Le quedan { $n } intentos.
}
otp-locked = Demasiados códigos incorrectos. Solicite un nuevo código.

## Llaves de acceso

passkey-sign-in = Iniciar sesión con una llave de acceso
passkey-or = o
passkey-title = Confirme con su llave de acceso
passkey-intro = Use la llave de acceso de este dispositivo o su llave de seguridad: confirme que es usted con su huella digital, su rostro o el bloqueo de pantalla.
passkey-use = Usar llave de acceso
passkey-enrol-title = Cree una llave de acceso
passkey-enrol-intro = Con una llave de acceso puede iniciar sesión con su huella digital, su rostro o el bloqueo de pantalla en lugar de con una contraseña. La llave se guarda en su dispositivo o en su llave de seguridad.
passkey-create = Crear llave de acceso
passkey-failed = No se ha podido usar la llave de acceso. Inténtelo de nuevo o elija otro método.
passkey-refused = Esta llave de acceso no se puede usar aquí.
passkey-expired = Esta solicitud de llave de acceso ha caducado. Inténtelo de nuevo.
passkey-unsupported = Este navegador no admite llaves de acceso aquí, o JavaScript está desactivado.
passkey-other-way = Usar otro método
passkey-no-other-way = Si no puede usar una llave de acceso, vuelva a la aplicación e inicie sesión de nuevo.

## Theme studio

studio-title = Estudio de temas
studio-signed-in-as = Sesión de { $user }
studio-sign-out = Cerrar sesión
studio-signed-out-title = Ha salido del estudio
studio-signed-out-text = Su sesión del estudio ha terminado. Los borradores guardados se conservan.
studio-sign-in-again = Volver a iniciar sesión
studio-continue = Continuar al estudio
studio-signed-in-title = Ha iniciado sesión
studio-not-set-up-title = El estudio de temas aún no está configurado
studio-not-set-up-text = Para activarlo, un administrador registra un cliente público de esta organización con esta URI de redirección:
studio-refused-title = Sin acceso al estudio de temas
studio-refused-text = Su cuenta no puede cambiar los temas de esta organización. Un administrador puede concederle el privilegio tenant-admin.
studio-expired-title = El inicio de sesión no se completó
studio-expired-text = Se canceló, tardó demasiado o se inició en otra ventana. Vuelva a empezar.
studio-needs-js = El estudio de temas necesita JavaScript. Actívelo para este sitio.
studio-editing = Nivel que se edita
studio-layer-tenant = Toda la organización (todos los espacios de trabajo)
studio-layer-workspace = Espacio de trabajo: { $name }
studio-layer-client = Aplicación: { $name } (espacio de trabajo { $workspace })
studio-status-draft = Está editando su borrador guardado. Los visitantes siguen viendo el tema publicado.
studio-status-published = Sin borrador: parte del tema publicado.
studio-status-new = Aquí aún no hay nada publicado: todos los ajustes se heredan.
studio-unsaved = Cambios sin guardar.
studio-brand = Marca
studio-product-name = Nombre del producto
studio-logo = Logotipo
studio-favicon = Favicon
studio-background = Imagen de fondo
studio-upload-hint = PNG, WebP o SVG.
studio-remove = Quitar
studio-inherited = Heredado
studio-layout = Diseño
studio-layout-centered = Tarjeta en el centro
studio-layout-split = Panel de marca junto a la tarjeta
studio-scheme = Esquema de colores
studio-scheme-auto = Seguir el ajuste del dispositivo
studio-scheme-light = Siempre claro
studio-scheme-dark = Siempre oscuro
studio-colours = Colores
studio-light = Claro
studio-dark = Oscuro
studio-reset = Restablecer
studio-color-primary = Botones y panel de marca
studio-color-primary-contrast = Texto de los botones
studio-color-background = Fondo de la página
studio-color-surface = Fondo de la tarjeta
studio-color-text = Texto
studio-color-muted = Texto secundario
studio-color-error = Errores
studio-color-border = Bordes
studio-color-link = Enlaces
studio-color-success = Mensajes de éxito
studio-color-warning = Advertencias
studio-color-info = Información
studio-color-focus = Contorno de foco
studio-type = Tipografía y forma
studio-font = Fuente
studio-font-system = Fuente del sistema
studio-font-neo = Sans serif neutra (Helvetica, Arial)
studio-font-geometric = Sans serif geométrica (Avenir, Montserrat)
studio-font-humanist = Sans serif humanista (Optima, Candara)
studio-font-serif = Con serifa (Charter, Cambria)
studio-font-oldstyle = Serifa clásica (Palatino)
studio-font-mono = Monoespaciada
studio-font-upload = Su propia fuente (archivo WOFF2)
studio-font-family-name = Nombre de su fuente
studio-radius = Radio de las esquinas (px)
studio-card-width = Ancho de la tarjeta (rem)
studio-logo-height = Altura del logotipo (rem)
studio-texts = Textos
studio-texts-locale = Idioma
studio-texts-search = Buscar un texto
studio-texts-hint = Deje un campo vacío para conservar el texto que muestra. Mantenga tal cual las palabras entre llaves: la página las completa.
studio-texts-none = Ningún texto coincide con su búsqueda.
studio-locale-en = Inglés
studio-locale-de = Alemán
studio-locale-fr = Francés
studio-locale-es = Español
studio-locale-ar = Árabe
studio-save = Guardar borrador
studio-publish = Publicar
studio-discard = Descartar borrador
studio-saved = Borrador guardado.
studio-published = Publicado. Los visitantes ya ven esta versión.
studio-discarded = Borrador descartado.
studio-restored = Versión restaurada y publicada.
studio-uploaded = Archivo subido.
studio-problems = Revise estos ajustes:
studio-failed = No ha funcionado. Vuelva a intentarlo.
studio-session-over = Su sesión del estudio ha terminado. Vuelva a cargar la página para iniciar sesión de nuevo.
studio-confirm-switch = Tiene cambios sin guardar. ¿Cambiar de nivel y perderlos?
studio-versions = Versiones publicadas
studio-versions-none = Aún no hay nada publicado.
studio-version = Versión
studio-restore = Restaurar
studio-current = En uso
studio-restores = restauración de la versión
studio-preview = Vista previa
studio-preview-in = Vista previa en el espacio de trabajo
studio-preview-page = Página
studio-preview-refused = La vista previa aún no puede mostrar estos ajustes:
studio-width = Ancho
studio-desktop = Escritorio
studio-mobile = Móvil
studio-mode = Modo
studio-busy-title = Demasiados inicios de sesión
studio-busy-text = Se han iniciado demasiadas sesiones en el estudio desde su red. Espere unos minutos y vuelva a intentarlo.

# (end of studio texts)

## Page polish
error-summary-title = Revise los datos introducidos
label-email-or-phone = Correo electrónico o número de teléfono
not-you = ¿No es usted? Usar otra cuenta
cancel = Cancelar
still-signed-in-title = Sigue con la sesión iniciada
still-signed-in-text = No se ha cambiado nada. Puede cerrar esta página o volver a la aplicación.
show-password = Mostrar contraseña
hide-password = Ocultar contraseña
terms-link = Condiciones de uso
privacy-link = Política de privacidad
back-to-app = Volver a { $app }
signed-in-as = Ha iniciado sesión como { $user }.
sign-out-question-app = { $app } quiere cerrar su sesión. ¿Desea cerrar la sesión?
error-in-field = { $field }: { $error }
unnamed-app = Una aplicación
unnamed-app-of = Una aplicación registrada en { $workspace }
# (end of polish texts)

## Theme folders and templates

theme-serve-title = Vista previa del tema: { $folder }
theme-serve-intro = Todas las páginas con esta carpeta de tema aplicada, con datos de ejemplo, en todos los idiomas, en modo claro y oscuro. Cada página se vuelve a cargar sola cuando cambia un archivo de la carpeta.
theme-serve-page = Página
theme-serve-light = Claro
theme-serve-dark = Oscuro
theme-serve-problems = Esta carpeta de tema todavía no se puede usar
theme-serve-problems-hint = Corrija lo que se indica a continuación. Esta página se vuelve a cargar sola al guardar un archivo.
theme-serve-file = Archivo
theme-serve-setting = Ajuste
theme-serve-problem = Problema
theme-serve-wrong-host = Esta vista previa solo responde en este equipo, en localhost, 127.0.0.1 o [::1] con el puerto { $port }.
# (end of theme folder texts)
