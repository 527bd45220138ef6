# Banca: textos del catálogo sustituidos (locales/es.ftl); mismas claves y variables.
sign-in = Acceso seguro
sign-in-to = Inicie sesión de forma segura para continuar en { $client }. Nunca le pediremos su contraseña por teléfono ni por correo electrónico.
signed-out-text = Ha cerrado la sesión. Por su seguridad, cierre esta ventana del navegador si comparte este dispositivo.
