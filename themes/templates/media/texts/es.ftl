# Medios: textos que sustituyen a los de locales/es.ftl (mismas claves y variables).
sign-in-to = Inicie sesión para seguir en { $client } donde lo dejó.
create-account-link = Crear una cuenta gratuita
register-title = Cree su cuenta gratuita
