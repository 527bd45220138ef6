# الإعلام: نصوص بديلة لنصوص locales/ar.ftl (بالمفاتيح والمتغيرات نفسها).
sign-in-to = سجّل الدخول لتكمل على { $client } من حيث توقفت.
create-account-link = إنشاء حساب مجاني
register-title = أنشئ حسابك المجاني
