# التجزئة: أسلوب ودود (نصوص بديلة لنصوص locales/ar.ftl).
sign-in-to = أهلًا بعودتك! سجّل الدخول للمتابعة إلى { $client }.
create-account-link = جديد هنا؟ أنشئ حسابًا في ثوانٍ
register-title = انضم إلينا
register-submit = أنشئ حسابي
