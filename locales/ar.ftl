# نصوص Portcullis: العربية الفصحى المعاصرة.

## تسجيل الدخول

sign-in = تسجيل الدخول
sign-in-to = سجّل الدخول للمتابعة إلى { $client }.
username-or-email = اسم المستخدم أو البريد الإلكتروني
password = كلمة المرور
bad-credentials = اسم المستخدم أو كلمة المرور غير صحيحة.
too-many-attempts = محاولات فاشلة كثيرة جدًا. يُرجى الانتظار 15 دقيقة أو إعادة تعيين كلمة المرور.
too-many-codes = طُلب عدد كبير جدًا من الرموز لهذا العنوان أو من شبكتك. يُرجى الانتظار ساعة ثم المحاولة مرة أخرى.
wait-seconds = { $n ->
    [zero] فشلت عدة محاولات لتسجيل الدخول. يمكنك المحاولة مرة أخرى الآن.
    [one] فشلت عدة محاولات لتسجيل الدخول. يُرجى الانتظار ثانية واحدة قبل المحاولة مرة أخرى.
    [two] فشلت عدة محاولات لتسجيل الدخول. يُرجى الانتظار ثانيتين قبل المحاولة مرة أخرى.
    [few] فشلت عدة محاولات لتسجيل الدخول. يُرجى الانتظار { $n } ثوانٍ قبل المحاولة مرة أخرى.
   *[other] فشلت عدة محاولات لتسجيل الدخول. يُرجى الانتظار { $n } ثانية قبل المحاولة مرة أخرى.
}
forgot-password = هل نسيت كلمة المرور؟
create-account-link = إنشاء حساب

## الموافقة

consent-title = هل تسمح بالوصول؟
consent-intro = يطلب { $client } الإذن بما يلي:
allow = السماح
deny = الرفض
scope-openid = معرفة هويتك
scope-profile = الاطلاع على اسمك وبيانات ملفك الشخصي
scope-email = الاطلاع على عنوان بريدك الإلكتروني
scope-phone = الاطلاع على رقم هاتفك
scope-address = الاطلاع على عنوانك البريدي
scope-offline-access = مواصلة الوصول حتى في أثناء غيابك
scope-admin = إدارة حسابات هذه المؤسسة وإعداداتها نيابةً عنك
scope-admin-warning = يمنح هذا التطبيقَ صلاحياتك الإدارية. لا تسمح بذلك إلا لأداة إدارة تثق بها.
scope-other = الوصول إلى بيانات أخرى في حسابك

## تسجيل الخروج

signed-out = تم تسجيل الخروج
signed-out-text = تم تسجيل خروجك.
sign-out-title = تسجيل الخروج
sign-out-question = هل تريد تسجيل الخروج؟
sign-out = تسجيل الخروج

## الأخطاء

error-title = حدث خطأ ما
error-code = رمز الخطأ
error-details = التفاصيل التقنية
error-reference = المرجع: { $reference }
form-expired = انتهت صلاحية هذا النموذج. يُرجى البدء من جديد.
form-expired-flow = انتهت صلاحية هذا النموذج. يُرجى العودة إلى التطبيق والمحاولة مرة أخرى.
flow-expired = انتهت صلاحية عملية تسجيل الدخول هذه أو لم تعد صالحة. يُرجى العودة إلى التطبيق والمحاولة مرة أخرى.
code-expired = انتهت صلاحية هذا الرمز أو تجاوز عدد المحاولات المسموح به. يُرجى البدء من جديد.
client-gone = لم يعد هذا التطبيق متاحًا.
sign-in-first = يُرجى تسجيل الدخول أولًا.
choose-allow-deny = يُرجى اختيار «السماح» أو «الرفض».
no-registration = لا يتيح هذا التطبيق إنشاء حسابات.
not-found = هذه الصفحة غير موجودة.
bad-request = أرسل التطبيق طلبًا تتعذّر معالجته. يُرجى العودة إلى التطبيق والمحاولة مرة أخرى.
unavailable = الخدمة غير متاحة مؤقتًا. يُرجى المحاولة مرة أخرى بعد قليل.
internal-error = حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى لاحقًا.
sample-error = هذا مثال على رسالة خطأ.

## إنشاء حساب

register-title = أنشئ حسابك
register-submit = إنشاء الحساب
optional = (اختياري)
have-account = لديك حساب بالفعل؟ سجّل الدخول
label-username = اسم المستخدم
label-email = البريد الإلكتروني
label-phone = رقم الهاتف
claim-given-name = الاسم الأول
claim-family-name = اسم العائلة
claim-middle-name = الاسم الأوسط
claim-nickname = الاسم المستعار
claim-preferred-username = اسم المستخدم المفضّل
claim-birthdate = تاريخ الميلاد
claim-gender = الجنس
claim-zoneinfo = المنطقة الزمنية
claim-locale = اللغة
claim-website = الموقع الإلكتروني
claim-profile = صفحة الملف الشخصي
claim-picture = الصورة الشخصية
field-required = يُرجى ملء هذا الحقل.
field-taken = هذه القيمة مستخدمة بالفعل. يُرجى اختيار قيمة أخرى.
field-invalid = يُرجى التحقق من هذه القيمة.
form-problem = يُرجى تصحيح الحقول المشار إليها أدناه.
password-invalid = كلمة المرور هذه لا تستوفي المتطلبات التالية:

## قواعد كلمة المرور

rule-min-length = { $n ->
    [one] حرف واحد على الأقل
    [two] حرفان على الأقل
    [few] { $n } أحرف على الأقل
    [many] { $n } حرفًا على الأقل
   *[other] { $n } حرف على الأقل
}
rule-max-length = { $n ->
    [one] حرف واحد على الأكثر
    [two] حرفان على الأكثر
    [few] { $n } أحرف على الأكثر
    [many] { $n } حرفًا على الأكثر
   *[other] { $n } حرف على الأكثر
}
rule-lowercase = حرف لاتيني صغير
rule-uppercase = حرف لاتيني كبير
rule-digit = رقم
rule-symbol = حرف خاص، مثل ! أو %
rule-identifier = ألا تكون اسم المستخدم أو البريد الإلكتروني أو رقم الهاتف الخاص بك
rule-common = ألا تكون كلمة مرور شائعة الاستخدام
rule-history-one = ألا تكون كلمة المرور السابقة
rule-history = { $n ->
    [one] ألا تكون كلمة المرور السابقة
    [two] ألا تكون إحدى كلمتي المرور الأخيرتين
    [few] ألا تكون إحدى آخر { $n } كلمات مرور
   *[other] ألا تكون إحدى آخر { $n } كلمة مرور
}

## الرموز

verify-title = تأكيد عنوانك
reset-confirm-title = اختيار كلمة مرور جديدة
code-intro = إذا كان { $address } مرتبطًا بحساب، فقد أرسلنا إليه رمزًا مكوّنًا من 6 أرقام. تنتهي صلاحية الرمز بعد { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}.
code-label = الرمز
new-password = كلمة المرور الجديدة
continue-button = متابعة
resend = إرسال رمز جديد
code-resent = أرسلنا إليك رمزًا جديدًا.
resend-limited = طُلب عدد كبير جدًا من الرموز. يُرجى الانتظار ساعة أو استخدام آخر رمز وصلك.
code-wrong = { $left ->
    [one] هذا الرمز غير صحيح. تبقّت لك محاولة واحدة.
    [two] هذا الرمز غير صحيح. تبقّت لك محاولتان.
    [few] هذا الرمز غير صحيح. تبقّت لك { $left } محاولات.
   *[other] هذا الرمز غير صحيح. تبقّت لك { $left } محاولة.
}

## إعادة تعيين كلمة المرور

reset-title = إعادة تعيين كلمة المرور
reset-intro = سنرسل رمزًا إلى البريد الإلكتروني أو رقم الهاتف المرتبط بحسابك.
reset-identifier = البريد الإلكتروني أو رقم الهاتف
reset-not-address = يُرجى إدخال البريد الإلكتروني أو رقم الهاتف المرتبط بحسابك.
send-code = إرسال الرمز
password-changed-title = تم تغيير كلمة المرور
password-changed-text = تم تغيير كلمة المرور وتسجيل خروجك من جميع الأجهزة. سجّل الدخول بكلمة المرور الجديدة.

## التفعيل

activate-title = تفعيل حسابك
activate-submit = تفعيل
activated-title = تم تفعيل الحساب
activated-text = حسابك جاهز. عُد إلى التطبيق لتسجيل الدخول.
activation-link-expired = انتهت صلاحية رابط التفعيل هذا أو سبق استخدامه.

## البريد الإلكتروني والرسائل النصية

mail-activation-subject = رمز التفعيل الخاص بك
mail-activation-text = رمز التفعيل الخاص بك هو { $code }. تنتهي صلاحيته بعد { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}.
mail-reset-subject = إعادة تعيين كلمة المرور
mail-reset-text = رمز إعادة تعيين كلمة المرور هو { $code }. تنتهي صلاحيته بعد { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}.
mail-reset-link = أو افتح هذا الرابط لاختيار كلمة مرور جديدة:
mail-existing-subject = لديك حساب بالفعل
mail-existing-text = حاول شخص ما إنشاء حساب بهذا العنوان، لكن لديك حسابًا بالفعل. يمكنك تسجيل الدخول، أو إعادة تعيين كلمة المرور إن كنت قد نسيتها.
mail-existing-link = إعادة تعيين كلمة المرور
mail-invite-subject = فعّل حسابك
mail-invite-text = { $days ->
    [one] أُنشئ لك حساب. يُرجى تفعيله خلال يوم واحد.
    [two] أُنشئ لك حساب. يُرجى تفعيله خلال يومين.
    [few] أُنشئ لك حساب. يُرجى تفعيله خلال { $days } أيام.
    [many] أُنشئ لك حساب. يُرجى تفعيله خلال { $days } يومًا.
   *[other] أُنشئ لك حساب. يُرجى تفعيله خلال { $days } يوم.
}
mail-invite-link = تفعيل الحساب
mail-signin-subject = رمز تسجيل الدخول الخاص بك
mail-signin-text = رمز تسجيل الدخول الخاص بك هو { $code }. تنتهي صلاحيته بعد { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}. إذا لم تكن أنت من يسجّل الدخول الآن، فهناك شخص آخر يعرف كلمة المرور الخاصة بك: يُرجى تغييرها فورًا.
sms-signin = رمز تسجيل الدخول الخاص بك هو { $code }. تنتهي صلاحيته بعد { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}. إن لم تكن أنت، فغيّر كلمة المرور.
mail-ignore = إذا لم تطلب ذلك، فيمكنك تجاهل هذه الرسالة.
mail-signature = { $sender }
sms-activation = رمز التفعيل الخاص بك هو { $code }. تنتهي صلاحيته بعد { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}.
sms-reset = رمز إعادة تعيين كلمة المرور هو { $code }. تنتهي صلاحيته بعد { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}.

## العوامل الثانية: TOTP ورموز الاسترداد واختيار الطريقة

mfa-wrong-code-last = هذا الرمز غير صالح أو سبق استخدامه. إذا أدخلت رمزًا خاطئًا آخر، فستُقفَل هذه الطريقة لمدة 15 دقيقة.
mfa-recovery-used-one = تم استخدام هذا الرمز ولم يعد صالحًا. تبقّى لك رمز استرداد واحد.
mfa-recovery-used-none = تم استخدام هذا الرمز ولم يعد صالحًا. كان هذا آخر رمز استرداد لديك.
mfa-choice-title = أكّد هويتك
mfa-choice-intro = اختر طريقة تأكيد تسجيل دخولك.
mfa-choice-enrol-title = إعداد عامل ثانٍ
mfa-choice-enrol-intro = يتطلب هذا الحساب خطوة تحقق إضافية بعد كلمة المرور. اختر الطريقة التي تريد إعدادها.
mfa-factor-totp = تطبيق المصادقة
mfa-factor-webauthn = مفتاح المرور
mfa-factor-email-otp = رمز عبر البريد الإلكتروني
mfa-factor-sms-otp = رمز عبر رسالة نصية
mfa-factor-recovery-code = رمز الاسترداد
mfa-totp-title = أدخل الرمز من تطبيقك
mfa-totp-intro = افتح تطبيق المصادقة وأدخل الرمز المكوّن من 6 أرقام الذي يعرضه لهذا الحساب.
mfa-code-label = الرمز
mfa-verify = تحقّق
mfa-wrong-code = { $n ->
    [one] هذا الرمز غير صالح أو سبق استخدامه. إذا أدخلت رمزًا خاطئًا آخر، فستُقفَل هذه الطريقة لمدة 15 دقيقة.
    [two] هذا الرمز غير صالح أو سبق استخدامه. إذا أدخلت رمزين خاطئين آخرين، فستُقفَل هذه الطريقة لمدة 15 دقيقة.
    [few] هذا الرمز غير صالح أو سبق استخدامه. إذا أدخلت { $n } رموز خاطئة أخرى، فستُقفَل هذه الطريقة لمدة 15 دقيقة.
    [many] هذا الرمز غير صالح أو سبق استخدامه. إذا أدخلت { $n } رمزًا خاطئًا آخر، فستُقفَل هذه الطريقة لمدة 15 دقيقة.
   *[other] هذا الرمز غير صالح أو سبق استخدامه. إذا أدخلت { $n } رمز خاطئ آخر، فستُقفَل هذه الطريقة لمدة 15 دقيقة.
}
mfa-use-recovery-code = فقدت جهازك؟ استخدم رمز استرداد
mfa-use-other = استخدام طريقة أخرى
mfa-recovery-title = أدخل رمز استرداد
mfa-recovery-intro = أدخل أحد رموز الاسترداد التي حفظتها عند إعداد العامل الثاني. لا يمكن استخدام كل رمز إلا مرة واحدة.
mfa-recovery-label = رمز الاسترداد
mfa-enrol-totp-title = إعداد تطبيق المصادقة
mfa-enrol-totp-intro = امسح رمز QR ضوئيًا بتطبيق المصادقة، أو أدخل المفتاح أدناه يدويًا. ثم أدخل الرمز المكوّن من 6 أرقام الذي يعرضه التطبيق.
mfa-enrol-totp-qr = رمز QR لمسحه ضوئيًا بتطبيق المصادقة
mfa-enrol-totp-link = الفتح في تطبيق مصادقة على هذا الجهاز
mfa-enrol-totp-secret = مفتاح الإدخال اليدوي
mfa-enrol-wrong-code = هذا الرمز غير مطابق. تأكّد من ضبط الوقت على جهازك بشكل صحيح، ثم أدخل الرمز الذي يعرضه التطبيق الآن.
mfa-recovery-codes-title = احفظ رموز الاسترداد
mfa-recovery-codes-intro = إذا فقدت العامل الثاني، فكل رمز من هذه الرموز يتيح لك تسجيل الدخول مرة واحدة. لن تظهر هذه الرموز إلا الآن: انسخها أو نزّلها واحفظها في مكان آمن.
mfa-recovery-codes-copy = رموزك للنسخ
mfa-recovery-codes-download = تنزيل كملف نصي
mfa-recovery-codes-file = recovery-codes.txt
mfa-continue = متابعة
mfa-recovery-used-title = تم استخدام رمز استرداد
mfa-recovery-used-left = { $n ->
    [one] تم استخدام هذا الرمز ولم يعد صالحًا. تبقّى لك رمز استرداد واحد.
    [two] تم استخدام هذا الرمز ولم يعد صالحًا. تبقّى لك رمزا استرداد.
    [few] تم استخدام هذا الرمز ولم يعد صالحًا. تبقّت لك { $n } رموز استرداد.
   *[other] تم استخدام هذا الرمز ولم يعد صالحًا. تبقّى لك { $n } رمز استرداد.
}
mfa-recovery-used-setup = أعِدّ تطبيق مصادقة جديدًا أو مفتاح مرور في أقرب وقت ممكن من إعدادات حسابك، أو اطلب من المسؤول إعادة تعيين المصادقة الثنائية لحسابك.
mfa-locked-title = رموز خاطئة كثيرة جدًا
mfa-locked-text = { $n ->
    [one] تم قفل طريقة تسجيل الدخول هذه بعد إدخال رموز خاطئة كثيرة جدًا. يُرجى المحاولة مرة أخرى بعد الساعة { $time } بالتوقيت العالمي المنسق (بعد دقيقة واحدة).
    [two] تم قفل طريقة تسجيل الدخول هذه بعد إدخال رموز خاطئة كثيرة جدًا. يُرجى المحاولة مرة أخرى بعد الساعة { $time } بالتوقيت العالمي المنسق (بعد دقيقتين).
    [few] تم قفل طريقة تسجيل الدخول هذه بعد إدخال رموز خاطئة كثيرة جدًا. يُرجى المحاولة مرة أخرى بعد الساعة { $time } بالتوقيت العالمي المنسق (بعد { $n } دقائق).
   *[other] تم قفل طريقة تسجيل الدخول هذه بعد إدخال رموز خاطئة كثيرة جدًا. يُرجى المحاولة مرة أخرى بعد الساعة { $time } بالتوقيت العالمي المنسق (بعد { $n } دقيقة).
}
mfa-not-available = هذه الخطوة غير متاحة لعملية تسجيل الدخول هذه. يُرجى العودة إلى التطبيق والمحاولة مرة أخرى.
mfa-locked-hard-text = تم قفل طريقة تسجيل الدخول هذه بعد إدخال رموز خاطئة كثيرة جدًا. لإلغاء قفلها، سجّل الدخول برمز استرداد أو بطريقة أخرى، أو اطلب من المسؤول إعادة تعيين المصادقة الثنائية لحسابك.
mfa-locked-mail-subject = تم قفل إحدى طرق تسجيل الدخول إلى حسابك
mfa-locked-mail-text = تم قفل طريقة تسجيل الدخول «{ $factor }» بعد إدخال عدة رموز خاطئة. ربما يحاول شخص يعرف كلمة المرور الخاصة بك تسجيل الدخول: إذا لم تكن أنت، فغيّر كلمة المرور الآن.
mfa-recovery-download-gone = لم يعد التنزيل متاحًا: عُرضت الرموز مرة واحدة فقط، مع الصفحة التي أظهرتها.
mfa-recovery-codes-shown = عُرضت رموز الاسترداد الخاصة بك مرة واحدة فقط، في الصفحة السابقة. إذا لم تحفظها، فتابع، ثم اطلب من المسؤول إعادة تعيين المصادقة الثنائية لحسابك للحصول على رموز جديدة.

## رموز البريد الإلكتروني والرسائل النصية كعامل ثانٍ

email-otp-title = تحقّق من بريدك الإلكتروني
email-otp-intro = أرسلنا رمز تسجيل دخول مكوّنًا من 6 أرقام إلى { $to }. تنتهي صلاحيته بعد { $n ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $n } دقائق
   *[other] { $n } دقيقة
}.
sms-otp-title = تحقّق من رسائلك النصية
sms-otp-intro = أرسلنا رمز تسجيل دخول مكوّنًا من 6 أرقام برسالة نصية إلى { $to }. تنتهي صلاحيته بعد { $n ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $n } دقائق
   *[other] { $n } دقيقة
}.
otp-code-label = رمز تسجيل الدخول
otp-continue = متابعة
otp-resend = إرسال رمز جديد
otp-resent = أرسلنا إليك رمزًا جديدًا.
otp-error-summary = حدثت مشكلة
otp-missing = أدخل الرمز المكوّن من 6 أرقام الذي أرسلناه إليك.
otp-wrong = { $n ->
    [one] هذا الرمز غير صحيح. تبقّت لك محاولة واحدة.
    [two] هذا الرمز غير صحيح. تبقّت لك محاولتان.
    [few] هذا الرمز غير صحيح. تبقّت لك { $n } محاولات.
   *[other] هذا الرمز غير صحيح. تبقّت لك { $n } محاولة.
}
otp-locked = أُدخلت رموز خاطئة كثيرة جدًا. اطلب رمزًا جديدًا.

## مفاتيح المرور

passkey-sign-in = تسجيل الدخول باستخدام مفتاح مرور
passkey-or = أو
passkey-title = التأكيد باستخدام مفتاح المرور
passkey-intro = استخدم مفتاح المرور الموجود على هذا الجهاز أو مفتاح الأمان: تؤكّد بصمتك أو وجهك أو قفل الشاشة أنك أنت.
passkey-use = استخدام مفتاح المرور
passkey-enrol-title = إنشاء مفتاح مرور
passkey-enrol-intro = يتيح لك مفتاح المرور تسجيل الدخول ببصمتك أو وجهك أو قفل الشاشة بدلًا من كلمة المرور. ويبقى محفوظًا على جهازك أو مفتاح الأمان.
passkey-create = إنشاء مفتاح المرور
passkey-failed = تعذّر استخدام مفتاح المرور. يُرجى المحاولة مرة أخرى أو اختيار طريقة أخرى.
passkey-refused = لا يمكن استخدام مفتاح المرور هذا هنا.
passkey-expired = انتهت صلاحية طلب مفتاح المرور هذا. يُرجى المحاولة مرة أخرى.
passkey-unsupported = لا يدعم هذا المتصفح مفاتيح المرور هنا، أو أن JavaScript معطّل.
passkey-other-way = استخدام طريقة أخرى
passkey-no-other-way = إذا لم تتمكن من استخدام مفتاح مرور، فيُرجى العودة إلى التطبيق وتسجيل الدخول مرة أخرى.

## Theme studio

studio-title = استوديو السمات
studio-signed-in-as = مسجّل الدخول باسم { $user }
studio-sign-out = تسجيل الخروج
studio-signed-out-title = غادرت الاستوديو
studio-signed-out-text = انتهت جلستك في الاستوديو. لا تزال المسودات المحفوظة موجودة.
studio-sign-in-again = تسجيل الدخول مرة أخرى
studio-continue = المتابعة إلى الاستوديو
studio-signed-in-title = تم تسجيل دخولك
studio-not-set-up-title = لم يُهيَّأ استوديو السمات بعد
studio-not-set-up-text = يفعّله المسؤول بتسجيل عميل عام لهذه المؤسسة بعنوان إعادة التوجيه هذا:
studio-refused-title = لا يمكنك الوصول إلى استوديو السمات
studio-refused-text = لا يحق لحسابك تغيير سمات هذه المؤسسة. يمكن للمسؤول أن يمنحك صلاحية tenant-admin.
studio-expired-title = لم يكتمل تسجيل الدخول
studio-expired-text = أُلغي أو استغرق وقتًا طويلًا أو بدأ في نافذة أخرى. يُرجى البدء من جديد.
studio-needs-js = يحتاج استوديو السمات إلى JavaScript. يُرجى تفعيلها لهذا الموقع.
studio-editing = المستوى الذي تعدّله
studio-layer-tenant = المؤسسة كلها (جميع مساحات العمل)
studio-layer-workspace = مساحة العمل: { $name }
studio-layer-client = التطبيق: { $name } (مساحة العمل { $workspace })
studio-status-draft = أنت تعدّل مسودتك المحفوظة. ما زال الزوار يرون السمة المنشورة.
studio-status-published = لا توجد مسودة: تبدأ من السمة المنشورة.
studio-status-new = لم يُنشر شيء هنا بعد: كل الإعدادات موروثة.
studio-unsaved = تغييرات غير محفوظة.
studio-brand = العلامة التجارية
studio-product-name = اسم المنتج
studio-logo = الشعار
studio-favicon = أيقونة الموقع
studio-background = صورة الخلفية
studio-upload-hint = PNG أو WebP أو SVG.
studio-remove = إزالة
studio-inherited = موروث
studio-layout = التخطيط
studio-layout-centered = البطاقة في الوسط
studio-layout-split = لوحة العلامة بجانب البطاقة
studio-scheme = نظام الألوان
studio-scheme-auto = اتباع إعداد الجهاز
studio-scheme-light = فاتح دائمًا
studio-scheme-dark = داكن دائمًا
studio-colours = الألوان
studio-light = فاتح
studio-dark = داكن
studio-reset = إعادة التعيين
studio-color-primary = الأزرار ولوحة العلامة
studio-color-primary-contrast = النص على الأزرار
studio-color-background = خلفية الصفحة
studio-color-surface = خلفية البطاقة
studio-color-text = النص
studio-color-muted = النص الثانوي
studio-color-error = الأخطاء
studio-color-border = الحدود
studio-color-link = الروابط
studio-color-success = رسائل النجاح
studio-color-warning = التحذيرات
studio-color-info = المعلومات
studio-color-focus = إطار التركيز
studio-type = الخط والشكل
studio-font = الخط
studio-font-system = خط النظام
studio-font-neo = خط بلا زوائد محايد (Helvetica، Arial)
studio-font-geometric = خط بلا زوائد هندسي (Avenir، Montserrat)
studio-font-humanist = خط بلا زوائد إنساني (Optima، Candara)
studio-font-serif = خط بزوائد (Charter، Cambria)
studio-font-oldstyle = خط كلاسيكي بزوائد (Palatino)
studio-font-mono = خط ثابت العرض
studio-font-upload = خطك الخاص (ملف WOFF2)
studio-font-family-name = اسم خطك
studio-radius = نصف قطر الزوايا (px)
studio-card-width = عرض البطاقة (rem)
studio-logo-height = ارتفاع الشعار (rem)
studio-texts = النصوص
studio-texts-locale = اللغة
studio-texts-search = البحث عن نص
studio-texts-hint = اترك الحقل فارغًا لتُبقي النص الظاهر فيه. أبقِ الكلمات بين الأقواس المعقوصة كما هي: تملؤها الصفحة.
studio-texts-none = لا يوجد نص يطابق بحثك.
studio-locale-en = الإنجليزية
studio-locale-de = الألمانية
studio-locale-fr = الفرنسية
studio-locale-es = الإسبانية
studio-locale-ar = العربية
studio-save = حفظ المسودة
studio-publish = نشر
studio-discard = حذف المسودة
studio-saved = حُفظت المسودة.
studio-published = نُشرت. يرى الزوار هذا الإصدار الآن.
studio-discarded = حُذفت المسودة.
studio-restored = استُعيد الإصدار ونُشر.
studio-uploaded = رُفع الملف.
studio-problems = يُرجى مراجعة هذه الإعدادات:
studio-failed = لم ينجح ذلك. يُرجى المحاولة مرة أخرى.
studio-session-over = انتهت جلستك في الاستوديو. أعد تحميل الصفحة لتسجيل الدخول مرة أخرى.
studio-confirm-switch = لديك تغييرات غير محفوظة. هل تريد تغيير المستوى وفقدانها؟
studio-versions = الإصدارات المنشورة
studio-versions-none = لم يُنشر شيء بعد.
studio-version = الإصدار
studio-restore = استعادة
studio-current = منشور الآن
studio-restores = استعادة للإصدار
studio-preview = المعاينة
studio-preview-in = المعاينة في مساحة العمل
studio-preview-page = الصفحة
studio-preview-refused = لا يمكن للمعاينة عرض هذه الإعدادات بعد:
studio-width = العرض
studio-desktop = سطح المكتب
studio-mobile = الجوال
studio-mode = الوضع
studio-busy-title = محاولات تسجيل دخول كثيرة جدًا
studio-busy-text = بُدئ تسجيل الدخول إلى الاستوديو مرات كثيرة جدًا من شبكتك. يُرجى الانتظار بضع دقائق ثم المحاولة مرة أخرى.

# (end of studio texts)

## Page polish
error-summary-title = يُرجى مراجعة ما أدخلته
label-email-or-phone = البريد الإلكتروني أو رقم الهاتف
not-you = لست أنت؟ استخدم حسابًا آخر
cancel = إلغاء
still-signed-in-title = ما زلت مسجّل الدخول
still-signed-in-text = لم يتغيّر شيء. يمكنك إغلاق هذه الصفحة أو العودة إلى التطبيق.
show-password = إظهار كلمة المرور
hide-password = إخفاء كلمة المرور
terms-link = شروط الاستخدام
privacy-link = سياسة الخصوصية
back-to-app = العودة إلى { $app }
signed-in-as = أنت مسجّل الدخول باسم { $user }.
sign-out-question-app = يطلب { $app } تسجيل خروجك. هل تريد تسجيل الخروج؟
error-in-field = { $field }: { $error }
unnamed-app = تطبيق
unnamed-app-of = تطبيق مسجَّل لدى { $workspace }
# (end of polish texts)

## Theme folders and templates

theme-serve-title = معاينة السمة: { $folder }
theme-serve-intro = جميع الصفحات بعد تطبيق مجلد السمة هذا، مملوءة ببيانات نموذجية، بكل اللغات، في الوضعين الفاتح والداكن. تُعيد الصفحة تحميل نفسها تلقائيًا عند تغيُّر أي ملف في المجلد.
theme-serve-page = الصفحة
theme-serve-light = فاتح
theme-serve-dark = داكن
theme-serve-problems = لا يمكن استخدام مجلد السمة هذا بعد
theme-serve-problems-hint = أصلِح ما هو مذكور أدناه. ستُعيد هذه الصفحة تحميل نفسها تلقائيًا عند حفظ أي ملف.
theme-serve-file = الملف
theme-serve-setting = الإعداد
theme-serve-problem = المشكلة
theme-serve-wrong-host = لا تستجيب هذه المعاينة إلا على هذا الجهاز، عبر localhost أو 127.0.0.1 أو [::1] على المنفذ { $port }.
# (end of theme folder texts)
