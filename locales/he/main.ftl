app-name = קהילה
skip-to-content = דלגו לתוכן
switch-lang = English
switch-org = החלפת ארגון
logout = יציאה
nav-label = אזורי העבודה
nav-overview = סקירה
nav-plan = תכנון
nav-people = אנשי קשר
nav-studio = סטודיו
nav-calendar = לוח תוכן
nav-inbox = תיבת שיחות
nav-measure = מדידה
nav-site = האתר
nav-settings = הגדרות

## Fields
field-name = שם מלא
field-email = דוא״ל
field-password = סיסמה
field-new-password = סיסמה חדשה
field-org_name = שם הארגון
field-org_slug = כתובת קצרה
field-role = תפקיד
field-note = הערה (למשל: למי ההזמנה)
field-token-name = שם המפתח
field-scope = הרשאה
field-lang = שפה
field-status = מצב
slug-help = אותיות לטיניות קטנות, ספרות ומקפים, למשל yad-beyad. תופיע בכתובות.
password-help = לפחות 10 תווים. משפט ארוך שקל לזכור הוא סיסמה טובה.

## Roles
role-owner = בעלים
role-admin = מנהל/ת
role-editor = עורך/ת
role-contributor = תורם/ת תוכן
role-viewer = צופה
role-of = התפקיד של { $name }
your-role = התפקיד שלך: { $role }
members-count = { $count ->
    [one] חבר צוות אחד
    [two] שני חברי צוות
   *[other] { $count } חברי צוות
}

## First run and login
setup-title = הקמת קהילה
setup-intro = ברוכים הבאים! זו ההפעלה הראשונה. צרו את הארגון הראשון ואת חשבון הבעלים שלו.
setup-org = הארגון
setup-owner = החשבון שלך
setup-submit = יצירת הארגון
login-title = כניסה
login-submit = כניסה
forgot-link = שכחתי סיסמה
forgot-title = איפוס סיסמה
forgot-intro = הזינו את כתובת הדוא״ל של החשבון ונשלח אליה קישור לבחירת סיסמה חדשה.
forgot-submit = שליחת קישור
forgot-sent = אם קיים חשבון עם הכתובת הזו, נשלח אליו קישור לאיפוס הסיסמה. הקישור בתוקף לשעה.
forgot-no-smtp = בשרת הזה לא הוגדר שרת דואר (SMTP), ולכן הקישור נכתב ליומן השרת ולא נשלח בדוא״ל. פנו למפעיל השרת.
back-to-login = חזרה לכניסה
reset-title = בחירת סיסמה חדשה
reset-submit = שמירת הסיסמה
mail-reset-subject = איפוס הסיסמה שלך בקהילה
mail-reset-body = שלום { $name },

    ביקשת לאפס את הסיסמה שלך. לבחירת סיסמה חדשה, פתחו את הקישור (בתוקף לשעה):
    { $link }

    אם לא ביקשת זאת, אפשר להתעלם מההודעה.

## Organizations
orgs-title = הארגונים שלי
orgs-all = כל הארגונים
orgs-none = עדיין אינך חבר/ה באף ארגון. אפשר ליצור ארגון חדש, או לבקש הזמנה.
orgs-new = ארגון חדש
orgs-create = יצירת ארגון
overview-title = סקירה
settings-title = הגדרות
settings-members-help = מי בצוות, בתפקידים, והזמנות.
settings-tokens-help = מפתחות לממשק ה־API, לחיבור מערכות אחרות.
settings-audit-help = כניסות, שינויי תפקידים והרשאות.
settings-jobs-help = משימות רקע ומשימות שנכשלו.
leave-org = עזיבת הארגון
leave-confirm = לעזוב את הארגון? לא תהיה לך עוד גישה אליו.

## Areas
area-coming = מה יהיה כאן
area-plan-summary = יעדים, קהלי יעד ומפת ערוצים.
area-plan-point1 = יעדים עם מספרים ותאריכי יעד, ומדד לכל יעד.
area-plan-point2 = קהלי יעד המקושרים לפלחים של אנשי הקשר.
area-plan-point3 = מפת ערוצים: לכל רשת מטרה, קהל, קצב פרסום, שעות ותקציב בחודש.
area-people-summary = אנשי קשר, רשימות, הסכמות וטפסים.
area-people-point1 = רשומה אחת לכל אדם, עם תפקידים, תגיות וציר זמן.
area-people-point2 = רשימות, פלחים דינמיים ויבוא מקבצים.
area-people-point3 = יומן הסכמות לפי ערוץ ומטרה, וטפסי הרשמה.
area-studio-summary = כותבים פעם אחת ומפרסמים בכל הרשתות.
area-studio-point1 = סוגי תוכן: סיפור, אלבום, אירוע, הישג, קריאה להתנדבות ולתרומה.
area-studio-point2 = גרסה לכל רשת עם ספירת תווים מדויקת ותצוגה מקדימה.
area-studio-point3 = אישורים, קישורים מעוקבים וספריית מדיה.
area-calendar-summary = לוח הפרסומים המתוזמנים.
area-calendar-point1 = כל הפוסטים המתוזמנים בתצוגת שבוע וחודש.
area-calendar-point2 = התראה כשקצב הפרסום בערוץ יורד מתחת ליעד.
area-inbox-summary = כל התגובות והאזכורים במקום אחד.
area-inbox-point1 = תגובות, תשובות ואזכורים מכל הרשתות ומהאתר.
area-inbox-point2 = הקצאה לחברי צוות, סטטוס, הערות ותשובות שמורות.
area-inbox-point3 = תשובה מכאן דרך הרשת שממנה הגיעה ההודעה.
area-measure-summary = התקדמות מול היעדים.
area-measure-point1 = התקדמות כל יעד, תחזית וגרף.
area-measure-point2 = פוסטים מובילים וייחוס הרשמות לפוסט ולערוץ.
area-measure-point3 = דוח חודשי להנהלה.
area-site-summary = האתר של הארגון: הבית של כל מה שמתפרסם.
area-site-point1 = כרטיס ארגון, פוסטים עם קישורים קבועים ועמודים.
area-site-point2 = אירועים, משמרות מתנדבים ודיונים.
area-site-point3 = פידים, חשבון פדיברס וארכיון מלא.

## Members
members-title = חברי צוות
invite-title = הזמנת חבר/ת צוות
invite-create = יצירת קישור הזמנה
invite-link = קישור ההזמנה
invite-link-ready = קישור ההזמנה מוכן. שלחו אותו למי שמוזמן/ת. הוא יוצג רק עכשיו, ובתוקף שבעה ימים.
invitations-open = הזמנות פתוחות
invite-title-join = הזמנה להצטרף
invite-to = הוזמנת להצטרף אל { $org }
invite-as = בתפקיד { $role }
invite-new-account = צרו חשבון כדי להצטרף.
invite-have-account = כבר יש לי חשבון
invite-accept = הצטרפות
expires = בתוקף עד { $when }
remove = הסרה
remove-confirm = להסיר את { $name } מהארגון?
revoke = ביטול
revoked = בוטל
save = שמירה
copy = העתקה
actions = פעולות

## API tokens
tokens-title = מפתחות API
tokens-intro = מפתח API מאפשר לתוכנה אחרת לפעול בשמך בארגון הזה בלבד, עם ההרשאות של התפקיד שלך לכל היותר.
token-create = יצירת מפתח
token-created-once = המפתח נוצר. העתיקו אותו עכשיו: הוא לא יוצג שוב.
token-secret = המפתח החדש
scope-read = קריאה בלבד
scope-write = קריאה וכתיבה
revoke-confirm = לבטל את המפתח? תוכנות שמשתמשות בו יפסיקו לעבוד.
created = נוצר
last-used = שימוש אחרון

## Audit log
audit-title = יומן אבטחה
audit-empty = אין עדיין אירועים.
when = מתי
who = מי
what = מה
detail = פרטים
ip = כתובת IP
older = ישנים יותר
audit-login = כניסה
audit-login-failed = כניסה שנכשלה
audit-logout = יציאה
audit-password-reset-requested = בקשה לאיפוס סיסמה
audit-password-changed = הסיסמה שונתה
audit-org-created = הארגון נוצר
audit-invitation-created = נוצרה הזמנה
audit-invitation-revoked = הזמנה בוטלה
audit-member-joined = הצטרפות לארגון
audit-role-changed = שינוי תפקיד
audit-member-removed = הסרה מהארגון
audit-token-created = נוצר מפתח API
audit-token-revoked = בוטל מפתח API
audit-job-retried = משימה הוחזרה לתור
audit-export = ייצוא נתונים

## Jobs
jobs-title = משימות רקע
jobs-intro = משימות שהשרת מבצע ברקע (פרסום, שליחה, איסוף נתונים). משימה שנכשלה שוב ושוב נעצרת כאן עד שתחזירו אותה לתור.
jobs-filter = סינון לפי מצב
jobs-empty = אין משימות במצב הזה.
job-status-dead = נכשלו
job-status-queued = ממתינות
job-status-running = רצות
job-status-done = הסתיימו
job-kind = סוג
job-attempts = ניסיונות
job-run-at = מועד
job-last-error = שגיאה אחרונה
job-retry = החזרה לתור

## Confirmations
done-org-created = הארגון נוצר.
done-joined = הצטרפת לארגון. ברוך/ה הבא/ה!
done-role-changed = התפקיד עודכן.
done-member-removed = חבר/ת הצוות הוסר/ה.
done-invitation-revoked = ההזמנה בוטלה.
done-token-revoked = המפתח בוטל.
done-job-retried = המשימה הוחזרה לתור.
done-logged-out = יצאת מהמערכת.
done-password-changed = הסיסמה שונתה. היכנסו עם הסיסמה החדשה.

## Errors
error-title = משהו השתבש
error-home = לדף הבית
error-internal = אירעה שגיאה בשרת. נסו שוב בעוד רגע; אם זה חוזר, פנו למפעיל.
error-unavailable = מסד הנתונים אינו זמין כרגע. נסו שוב בעוד רגע.
error-not-found = הדף או הפריט לא נמצאו, או שאין לך גישה אליהם.
error-forbidden = אין לך הרשאה לפעולה הזו.
error-unauthorized = צריך להיכנס כדי להמשיך.
error-bad-credentials = כתובת הדוא״ל או הסיסמה שגויות.
error-rate-limited = יותר מדי ניסיונות. נסו שוב בעוד מספר דקות.
error-already-set-up = ההקמה הראשונית כבר בוצעה.
error-invitation-invalid = ההזמנה אינה בתוקף: ייתכן שכבר נוצלה, בוטלה או פג תוקפה.
error-reset-invalid = הקישור לאיפוס הסיסמה אינו בתוקף: ייתכן שכבר נוצל או שפג תוקפו.
error-mail-failed = לא הצלחנו לשלוח את הדוא״ל. נסו שוב מאוחר יותר.
error-email-taken = כבר קיים חשבון עם כתובת הדוא״ל הזו.
error-slug-taken = הכתובת הקצרה הזו כבר תפוסה. בחרו אחרת.
error-already-member = כבר חבר/ה בארגון הזה.
error-last-owner = לארגון חייב להישאר לפחות בעלים אחד.
error-conflict = הפעולה מתנגשת בשינוי אחר. רעננו ונסו שוב.
error-csrf = הטופס פג תוקף או נשלח מאתר אחר. רעננו את הדף ונסו שוב.
error-too-large = הבקשה גדולה מדי.
error-bad-request = הבקשה אינה תקינה: חסרים שדות או שהערכים בפורמט שגוי.
error-method-not-allowed = הפעולה הזו אינה נתמכת בכתובת הזו.
error-unsupported-media-type = סוג התוכן של הבקשה אינו נתמך.
error-invalid-input = אחד הערכים אינו תקין.
error-input-required = שדה חובה.
error-input-too-long = ארוך מדי.
error-input-invalid-email = כתובת דוא״ל לא תקינה.
error-input-password-too-short = הסיסמה קצרה מדי: לפחות 10 תווים.
error-input-password-too-long = הסיסמה ארוכה מדי.
error-input-invalid-slug = כתובת קצרה לא תקינה: 2–40 אותיות לטיניות קטנות, ספרות ומקפים.
error-input-invalid-role = תפקיד לא מוכר.
error-input-invalid-language = שפה לא נתמכת.

## People
people-sections = אזורי אנשי הקשר
people-search = חיפוש
people-search-hint = שם, דוא״ל, טלפון או תגית
people-count = { $count ->
    [one] איש קשר אחד
    [two] שני אנשי קשר
   *[other] { $count } אנשי קשר
}
people-none = לא נמצאו אנשי קשר.
newer = חדשים יותר
person-new = איש קשר חדש
person-edit = עריכת פרטים
person-title = איש קשר
person-details = פרטים
field-first_name = שם פרטי
field-last_name = שם משפחה
field-latin_name = שם באותיות לטיניות
field-phone = טלפון
field-notes = הערות
field-roles = תפקידים
field-tags = תגיות
field-fields = שדות נוספים
field-title = כותרת
field-kind = סוג
field-consent = הסכמה
field-wording = נוסח
field-key = מפתח
field-label = תווית
field-field_type = סוג שדה
field-choices = אפשרויות
field-basis = בסיס ההסכמה
field-redirect_url = כתובת להפניה
field-channel = ערוץ
field-purpose = מטרה
field-contact = פרטי קשר
field-legal_name = שם רשמי
phone-help = מספר ישראלי (050-2345678) או בינלאומי (‎+44…‎).
tags-help = מופרדות בפסיקים.
person-role-donor = תורם/ת
person-role-volunteer = מתנדב/ת
person-role-activist = פעיל/ה
person-role-partner = שותף/ה
person-role-beneficiary = מקבל/ת שירות
person-role-press = עיתונות
person-role-public = קהל רחב
add = הוספה
create = יצירה
add-to-list = הוספה לרשימה
consent-title = הסכמות
consent-none = אין עדיין הסכמות רשומות.
consent-history = היסטוריית ההסכמות
consent-channel = ערוץ
consent-purpose = מטרה
consent-state = מצב
consent-since = מאז
consent-source = מקור
consent-wording = הנוסח שהוצג
consent-wording-staff = איך ניתנה ההסכמה (למשל: בשיחת טלפון עם דנה)
consent-given = ניתנה
consent-withdrawn = בוטלה
consent-record = רישום הסכמה או סירוב
consent-save = רישום ביומן
prefs-link = קישור אישי לעדכון העדפות:
timeline-title = ציר זמן
privacy-title = פרטיות
person-export = הורדת כל המידע על האדם (JSON)
person-erase = מחיקת האדם
erase-confirm = למחוק לצמיתות את כל המידע האישי? הסירוב שלו יישמר כרשומה מוצפנת, כדי שלא ייווסף שוב ביבוא.
erase-help = המידע האישי נמחק; נשמרת רק חתימה מוצפנת של הכתובת לצד הסירוב.
channel-email = דוא״ל
channel-sms = SMS
channel-whatsapp = וואטסאפ
purpose-newsletter = ניוזלטר ועדכונים
purpose-donation_appeals = בקשות לתרומה
purpose-advocacy = קמפיינים והסברה
purpose-event_reminders = תזכורות לאירועים
purpose-transactional = הודעות שירות
source-form = טופס
source-import = יבוא
source-staff = צוות
source-reply = תשובה
source-preference-centre = מרכז ההעדפות
source-unsubscribe = הסרה בלחיצה
source-erasure = מחיקה
event-created = נוצר
event-updated = עודכן
event-signed-up = נרשם/ה
event-imported = יובא/ה
event-consent-given = נתן/ה הסכמה
event-consent-withdrawn = ביטל/ה הסכמה
event-added-to-list = נוסף/ה לרשימה
event-removed-from-list = הוסר/ה מרשימה

## Lists and segments
lists-title = רשימות ופלחים
lists-static = רשימות
lists-none = אין עדיין רשימות.
list-new = רשימה חדשה
list-delete = מחיקת הרשימה
list-delete-confirm = למחוק את הרשימה? אנשי הקשר עצמם יישארו.
export-csv = ייצוא ל־CSV
segments-title = פלחים
segments-intro = פלח הוא קבוצה שמתעדכנת לבד לפי תנאים: תפקיד, תגית, הסכמה, רשימה, פעילות.
segments-none = אין עדיין פלחים.
segment-new = פלח חדש
segment-title = פלח
field-segment-name = שם הפלח
segment-combine = אנשים ש…
segment-all = עונים על כל התנאים
segment-any = עונים על אחד התנאים לפחות
segment-condition = תנאי
segment-not = לא
segment-choose = בחרו תנאי
segment-field-or-event = שדה או פעילות
segment-compare = השוואה
segment-value = ערך
segment-value-hint = ערך (או מספר ימים)
segment-size = { $count ->
    [one] איש קשר אחד בפלח
    [two] שני אנשי קשר בפלח
   *[other] { $count } אנשי קשר בפלח
}
segment-delete = מחיקת הפלח
segment-delete-confirm = למחוק את הפלח?
cond-role = תפקיד
cond-tag = תגית
cond-list = חברות ברשימה
cond-consent = מצב הסכמה
cond-reachable = מותר לפנות אליו
cond-field = שדה נוסף
cond-added_within = נוסף ב־N הימים האחרונים
cond-event = פעילות ב־N הימים האחרונים
cond-lang = שפה
cond-has_email = יש דוא״ל
cond-has_phone = יש טלפון
state-given = ניתנה
state-withdrawn = בוטלה
state-unknown = לא נשאל/ה
cmp-eq = שווה ל
cmp-ne = שונה מ
cmp-contains = מכיל
cmp-gt = גדול מ / אחרי
cmp-lt = קטן מ / לפני

## Forms
forms-title = טפסים
forms-intro = טפסי הרשמה לניוזלטר, להתנדבות ולעצומות: עמוד משלהם, או הטמעה באתר שלכם.
forms-none = אין עדיין טפסים.
form-new = טופס חדש
form-edit = עריכת טופס
form-open = פתיחה
form-kind = סוג הטופס
form-kind-newsletter = הרשמה לניוזלטר
form-kind-volunteer = הרשמה להתנדבות
form-kind-petition = עצומה / התחייבות
form-title-field = כותרת
form-intro-field = פתיח
form-ask-phone = לבקש מספר טלפון
form-double-opt-in = אישור כפול בדוא״ל (מומלץ)
form-list = להוסיף לרשימה
form-consents = תיבות הסכמה
form-consents-help = כל תיבה רושמת הסכמה לערוץ ולמטרה, עם הנוסח המדויק שמוצג כאן.
form-consent-required = חובה לסמן
form-thanks = הודעת תודה
form-redirect = או הפניה לכתובת
form-share = שיתוף והטמעה
form-hosted = עמוד הטופס:
form-embed-iframe = הטמעה ב־iframe
form-embed-html = טופס HTML פשוט לאתר שלכם
form-delete = מחיקת הטופס
form-delete-confirm = למחוק את הטופס? הקישורים אליו יפסיקו לעבוד.
form-submit = הרשמה
form-thanks-default = תודה! נרשמת בהצלחה.
form-check-email = כמעט סיימנו: שלחנו אליך דוא״ל עם קישור לאישור ההרשמה. הקישור בתוקף 48 שעות.
form-resend = לשלוח שוב את הקישור
form-confirm-question = לחצו על הכפתור כדי לאשר את ההרשמה.
form-confirm-button = אישור ההרשמה
form-confirmed = תודה! ההרשמה אושרה.
form-confirm-title = אישור הרשמה
form-link-invalid = הקישור אינו תקין.
form-link-expired = פג תוקף הקישור. אפשר להירשם שוב בטופס.
form-consent-newsletter = אני מסכים/ה לקבל בדוא״ל עדכונים וניוזלטר מהעמותה.
form-consent-sms-reminders = אני מסכים/ה לקבל תזכורות למשמרות ולאירועים ב־SMS.
form-consent-advocacy = אני מסכים/ה לקבל בדוא״ל עדכונים על הקמפיין ועל פעולות המשך.
mail-confirm-subject = אישור הרשמה – { $org }
mail-confirm-body = שלום,

    קיבלנו את ההרשמה שלך ל{ $form } של { $org }.
    כדי לאשר, פתחו את הקישור (בתוקף { $hours } שעות):
    { $link }

    אם לא נרשמת, אפשר להתעלם מההודעה ולא נשלח אליך דבר.
prefs-title = העדפות הדיוור שלי
prefs-email = מה לשלוח אליי בדוא״ל
prefs-saved = ההעדפות נשמרו.
unsubscribe-all = הסרה מכל הדיוור
unsubscribe-title = הסרה מרשימת התפוצה
unsubscribe-question = להפסיק לשלוח אליך דוא״ל (מלבד הודעות שירות)?
unsubscribe-button = הסירו אותי
unsubscribe-done = הוסרת. לא נשלח אליך עוד דוא״ל, מלבד הודעות שירות הכרחיות.

## Import
import-title = יבוא
import-intro = העלו קובץ CSV או Excel (‎.xlsx‎). אפשר קבצים בעברית בכל קידוד נפוץ (UTF-8, ‏Windows-1255).
import-file = קובץ
import-file-help = עד { $mb } מגה־בייט.
import-upload = העלאה
import-recent = יבואים אחרונים
import-rows = { $rows } שורות
import-encoding = קידוד: { $encoding }
import-mapping = התאמת עמודות
import-mapping-help = ניחשנו את תפקיד כל עמודה לפי הכותרת. בדקו ותקנו לפני היבוא.
import-column-of = תפקיד העמודה { $name }
import-skip = לא לייבא
import-consent = הסכמה
import-consent-help = אם האנשים בקובץ הסכימו לקבל דיוור, ציינו לאיזה ערוץ ולאיזו מטרה ועל איזה בסיס. כל הסכמה תירשם ביומן עם היבוא כמקור.
import-no-consent = בלי הסכמה
import-basis = בסיס ההסכמה
import-basis-hint = למשל: נרשמו בדוכן ביריד הקהילה, מרץ 2026
import-start = התחלת היבוא
import-progress = התקדמות
import-created = נוספו
import-updated = עודכנו
import-errors = שורות שלא יובאו
import-report = דוח בעיות
import-report-download = הורדת הדוח (CSV)
import-col-row = שורה
import-col-column = עמודה
import-col-reason = סיבה
import-col-value = ערך
import-status-uploaded = ממתין להתאמה
import-status-queued = בתור
import-status-running = רץ
import-status-done = הסתיים
import-status-failed = נכשל
import-reason-bad-email = דוא״ל לא תקין
import-reason-bad-phone = טלפון לא תקין
import-reason-duplicate = כפילות בקובץ
import-reason-duplicate-phone = הטלפון כבר שייך לשורה אחרת
import-reason-missing-required = חסר דוא״ל או טלפון
import-reason-bad-consent = ערך הסכמה לא מובן
import-reason-erased-refused = האדם נמחק בעבר אחרי שסירב; לא נוסף שוב
import-reason-extra-cells = יותר תאים מכותרות
column-first_name = שם פרטי
column-last_name = שם משפחה
column-full_name = שם מלא
column-email = דוא״ל
column-phone = טלפון
column-language = שפה
column-roles = תפקידים
column-tags = תגיות
column-notes = הערות
column-consent = הסכמה (כן/לא)

## People settings
people-settings-title = הגדרות אנשי קשר
settings-people-help = תפקידים, שדות נוספים ומעמד משפטי.
settings-law = דיוור לפי החוק
settings-nonprofit = עמותה רשומה או חל״צ
settings-nonprofit-help = עמותה רשומה רשאית לשלוח בדוא״ל בקשות לתרומה ותוכן הסברתי למי שלא סירב (סעיף 30א(ב1)). SMS דורש תמיד הסכמה מפורשת.
settings-legal-name = השם הרשמי (לכותרת התחתונה של דיוור)
settings-contact = פרטי קשר (כתובת, טלפון)
settings-roles = תפקידים של אנשי קשר
settings-role-key = מפתח
settings-role-label = שם להצגה
settings-fields = שדות נוספים
settings-field-key = מפתח (אותיות לטיניות)
settings-field-label = שם להצגה
settings-field-type = סוג
settings-field-choices = אפשרויות (מופרדות בפסיקים, לשדה בחירה)
field-type-text = טקסט
field-type-number = מספר
field-type-date = תאריך
field-type-choice = בחירה
done-person-saved = הפרטים נשמרו.
done-person-erased = האדם נמחק.
done-consent-recorded = נרשם ביומן ההסכמות.
done-list-updated = הרשימות עודכנו.
done-list-created = הרשימה נוצרה.
done-list-deleted = הרשימה נמחקה.
done-segment-saved = הפלח נשמר.
done-segment-deleted = הפלח נמחק.
done-form-saved = הטופס נשמר.
done-form-deleted = הטופס נמחק.
done-import-started = היבוא התחיל.
done-settings-saved = ההגדרות נשמרו.
audit-settings-changed = שינוי הגדרות
audit-erasure = מחיקת אדם
error-input-invalid-phone = מספר טלפון לא תקין.
error-input-invalid-value = ערך לא תקין.
error-person-exists = כבר קיים איש קשר עם הדוא״ל או הטלפון האלה.
error-field-exists = כבר קיים שדה עם המפתח הזה.
error-segment-too-large = הפלח מורכב מדי: עד 40 תנאים.
error-segment-unknown-channel = ערוץ לא מוכר.
error-segment-unknown-purpose = מטרה לא מוכרת.
error-segment-bad-value = אחד הערכים בפלח אינו תקין (מספר ימים, מספר או תאריך).
error-confirmation-expired = פג תוקף הקישור.
error-import-too-large = הקובץ גדול מדי.
error-import-not-csv = הקובץ אינו CSV תקין.
error-import-not-text = זה לא קובץ טקסט או Excel.
error-import-bad-xlsx = לא הצלחנו לקרוא את קובץ ה־Excel.
error-import-empty = הקובץ ריק.
error-import-needs-email-or-phone = צריך לבחור עמודת דוא״ל או טלפון.
error-import-started = היבוא כבר התחיל.
