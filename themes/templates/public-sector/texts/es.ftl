# Sector público: lenguaje claro (textos que sustituyen a los de locales/es.ftl).
sign-in-to = Inicie sesión para usar { $client }.
create-account-link = Crear una cuenta para los servicios en línea
signed-out-text = Ha cerrado la sesión. Si usa un ordenador público o compartido, cierre ahora el navegador.
