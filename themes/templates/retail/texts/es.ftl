# Comercio: un tono cercano (textos que sustituyen a los de locales/es.ftl).
sign-in-to = ¡Qué bien verte de nuevo! Inicia sesión para continuar en { $client }.
create-account-link = ¿Eres nuevo? Crea una cuenta en segundos
register-title = Únete
register-submit = Crear mi cuenta
