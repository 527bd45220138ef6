# Salud: un tono tranquilizador (textos que sustituyen a los de locales/es.ftl).
sign-in-to = Inicie sesión para continuar en { $client }. Sus datos de salud son confidenciales.
signed-out-text = Ha cerrado la sesión. Si comparte este dispositivo, cierre esta ventana del navegador para proteger sus datos de salud.
