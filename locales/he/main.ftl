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
area-plan-summary = יעדים, קהלי יעד ומפת ערוצים.
area-people-summary = אנשי קשר, רשימות, הסכמות וטפסים.
area-studio-summary = כותבים פעם אחת ומפרסמים בכל הרשתות.
area-calendar-summary = לוח הפרסומים המתוזמנים.
area-inbox-summary = כל התגובות והאזכורים במקום אחד.
area-measure-summary = התקדמות מול היעדים.
area-site-summary = האתר של הארגון: הבית של כל מה שמתפרסם.

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

## Studio
studio-title = סטודיו
studio-sections = חלקי הסטודיו
studio-new = פוסט חדש
studio-edit = עריכת פוסט
studio-no-time = עדיין בלי מועד
studio-no-channels = עדיין אין ערוצים. הוסיפו את חשבונות הארגון (X, פייסבוק, אינסטגרם…) כדי לכתוב עבורם.
studio-waiting-review = ממתינים לאישור
studio-mine = הטיוטות וההגשות שלי
studio-upcoming = מתוזמנים
studio-drafts = טיוטות
studio-nothing = אין כאן כלום.
studio-derived-outlet = בתקשורת
studio-settings = הגדרות הסטודיו
notifications-title = התראות
notifications-none = אין התראות.
notifications-unread = { $count ->
    [one] התראה חדשה אחת
    [two] שתי התראות חדשות
   *[other] { $count } התראות חדשות
}
cadence-title = קצב פרסום
cadence-none = לאף ערוץ עדיין אין יעד קצב. קבעו אותו בעמוד הערוצים.
cadence-never = { $channel }: עדיין לא פורסם דבר
cadence-overdue = { $channel } לא עודכן { $days } ימים
cadence-due = { $channel }: הגיע הזמן לפרסם (הפוסט האחרון לפני { $days } ימים)
cadence-ok = { $channel }: הפוסט האחרון לפני { $days } ימים
cadence-target = { $count ->
    [one] יעד: כל יום
    [two] יעד: כל יומיים
   *[other] יעד: כל { $count } ימים
}
cadence-next = הבא:
post-kind-story = סיפור
post-kind-album = אלבום תמונות
post-kind-video = סרטון
post-kind-event = אירוע
post-kind-achievement = הישג
post-kind-volunteers = קריאה למתנדבים
post-kind-donation = קריאה לתרומה
post-kind-press = אזכור בתקשורת
post-kind-question = שאלה לדיון
post-kind-status = עדכון סטטוס
post-status-draft = טיוטה
post-status-review = ממתין לאישור
post-status-changes = התבקשו שינויים
post-status-approved = מאושר
post-status-scheduled = מתוזמן
post-status-published = פורסם
post-status-failed = נכשל
network-x = X
network-bluesky = Bluesky
network-mastodon = מסטודון
network-threads = Threads
network-instagram = אינסטגרם
network-facebook = פייסבוק
network-linkedin = לינקדאין
network-telegram = טלגרם
network-sms = SMS
composer-master = טקסט ראשי
composer-kind = סוג תוכן
composer-title = כותרת (פנימית, וגם שם הקמפיין של קישורים במעקב)
composer-body = טקסט
composer-details = פרטי אירוע, קישור ותקשורת
composer-event-start = תחילת האירוע
composer-place = מקום
composer-url = קישור (הרשמה, תרומה, כתבה)
composer-outlet = כלי תקשורת
composer-channels = ערוצים
composer-media = מדיה מהספרייה
composer-planned = מועד מתוכנן
composer-save = שמירה
composer-attached = מדיה מצורפת
composer-variants = לכל ערוץ
composer-no-variants = בחרו ערוצים ושמרו כדי לקבל גרסה לכל אחד.
variant-edited = נערכה בנפרד
variant-follows = עוקבת אחרי הטקסט הראשי
variant-text = הטקסט לערוץ הזה
variant-thread = שרשור: הפוסטים הבאים
variant-first-comment = תגובה ראשונה
variant-parts-hint = (הפרידו בין חלקים בשורה של ---)
variant-save = שמירת הגרסה
variant-follow = חזרה לטקסט הראשי
counter-ok = { $used } / { $limit } { $unit }
counter-over = ארוך מדי ב־{ $over } ({ $used } / { $limit } { $unit })
unit-weighted = תווים משוקללים
unit-graphemes = תווים
unit-bytes = בתים
unit-utf16 = יחידות UTF-16
unit-characters = תווים
unit-septets = ספטטים
unit-segments = חלקי SMS
problem-too-long = הטקסט ארוך מדי לרשת הזאת.
problem-too-many-bytes = הטקסט ארוך מדי בבתים לרשת הזאת.
problem-invalid-character = בטקסט יש תווים שהרשת הזאת דוחה.
problem-too-many-links = יותר מדי קישורים לרשת הזאת.
problem-too-many-hashtags = יותר מדי האשטגים לרשת הזאת.
problem-too-many-mentions = יותר מדי אזכורים לרשת הזאת.
problem-empty = הטקסט ריק.
problem-too-many-media = יותר מדי תמונות או סרטונים לרשת הזאת.
problem-media-required = ברשת הזאת חייבים תמונה או סרטון.
problem-alt-missing = לתמונה אין טקסט חלופי; הרשת הזאת מציגה אותו למי שלא רואה את התמונה.
preview-loading = תצוגה מקדימה…
preview-follow-up = המשך:
card-error-net-blocked = אין תצוגת קישור: הכתובת אינה ציבורית.
card-error-net-timeout = אין תצוגת קישור: הדף לא ענה בזמן.
card-error-net-too-large = אין תצוגת קישור: הדף גדול מדי.
card-error-net-not-html = אין תצוגת קישור: הכתובת אינה דף אינטרנט.
card-error-net-too-many-redirects = אין תצוגת קישור: הדף מפנה יותר מדי פעמים.
card-error-net-status = אין תצוגת קישור: הדף החזיר שגיאה.
card-error-net-invalid-url = אין תצוגת קישור: הכתובת אינה תקינה.
card-error-net-dns = אין תצוגת קישור: השרת של הכתובת לא נמצא.
card-error-net-connect = אין תצוגת קישור: לא ניתן להגיע לדף.
card-error-net-http = אין תצוגת קישור: לא ניתן לקרוא את הדף.
card-error-net-client = אין תצוגת קישור.
workflow-title = אישור ותזמון
workflow-needs-approval = הפוסט הזה צריך אישור של עורך לפני שהוא מתוזמן.
workflow-no-approval = הפוסט הזה לא צריך אישור: אפשר לתזמן אותו ישירות.
action-submit = שליחה לאישור
action-ready = סימון כמוכן
action-note = הערה לכותב (חובה כשמבקשים שינויים)
action-approve = אישור
action-changes = בקשת שינויים
action-schedule-at = לפרסם ב־
action-schedule = תזמון
action-unschedule = הוצאה מהתזמון
action-track-links = קיצור קישורים ומעקב
action-delete = מחיקת הפוסט
action-delete-confirm = למחוק את הפוסט ואת ההיסטוריה שלו?
next-free-slot = החלון הפנוי הבא
history-title = היסטוריה והערות
history-created = נוצר
history-edited = נערך
history-variant-edited = גרסת ערוץ נערכה
history-submitted = נשלח לאישור
history-approved = אושר
history-changes-requested = התבקשו שינויים
history-scheduled = תוזמן
history-unscheduled = הוצא מהתזמון
history-moved = הועבר
history-published = פורסם
history-failed = הפרסום נכשל
history-comment = הערה
history-links-tracked = הקישורים קוצרו ונמצאים במעקב
comment-label = הערה
comment-add = הוספת הערה
media-title = מדיה
media-upload-label = תמונה או סרטון
media-upload = העלאה
media-alt = טקסט חלופי (מה רואים בתמונה)
media-keep-metadata = לשמור את נתוני הקובץ (EXIF, מיקום GPS)
media-metadata-note = כברירת מחדל אנחנו מסירים נתונים כמו מיקום ה־GPS של המצלמה, כדי שתמונה לא תחשוף איפה מישהו גר.
media-metadata-removed = הנתונים הוסרו
media-location-removed = הנתונים הוסרו, כולל מיקום GPS
media-metadata-kept = הנתונים נשמרו (ייתכן שכוללים מיקום)
media-alt-missing = עדיין אין טקסט חלופי
media-none = עדיין אין מדיה.
media-delete = מחיקה
media-delete-confirm = למחוק את הקובץ? פוסטים שמשתמשים בו יאבדו אותו.
media-max-mb = { $count ->
    [one] עד מגה־בייט אחד
    [two] עד שני מגה־בייט
   *[other] עד { $count } מגה־בייט
}
links-title = קישורים מקוצרים
links-intro = קישורים מקוצרים במעקב עוברים דרך השרת הזה וסופרים הקלקות של אנשים (לא של בוטים), בלי לשמור כתובות IP.
links-url = כתובת
links-source = מקור (utm_source)
links-campaign = קמפיין (utm_campaign)
links-create = יצירת קישור מקוצר
links-none = עדיין אין קישורים מקוצרים.
links-short = קישור מקוצר
links-target = יעד
links-network = רשת
links-post = פוסט
links-clicks = הקלקות
links-created = נוצר
channels-title = ערוצים
channels-intro = חשבונות הארגון בכל רשת, עם יעד קצב פרסום ומועדי פרסום קבועים.
channels-add = הוספת ערוץ
channels-network = רשת
channels-name = שם
channels-handle = חשבון
channels-purpose = מטרה
channels-audience = קהל יעד
channels-cadence = יעד קצב: פוסט לפחות כל … ימים
channels-slots = שעות פרסום (HH:MM, מופרדות בפסיקים)
channels-slot-days = ימי פרסום
channels-char-limit = מגבלת התווים של השרת (מסטודון)
channels-requires-approval = כל פוסט כאן צריך אישור, לא משנה מי כתב
channels-delete = מחיקת הערוץ
channels-delete-confirm = למחוק את הערוץ? גם הגרסאות של הפוסטים עבורו יימחקו.
settings-time-zone = אזור זמן
settings-approval = פוסטים של תורמי תוכן צריכים אישור של עורך
settings-quiet-shabbat = לא לפרסם דבר בשבת
settings-quiet-holidays = לא לפרסם דבר בחגים (ראש השנה, יום כיפור, סוכות, פסח, שבועות)
calendar-views = תצוגות לוח השנה
calendar-month = חודש
calendar-week = שבוע
calendar-list = רשימה
calendar-prev = הקודם
calendar-next = הבא
calendar-today = היום
calendar-week-of = השבוע של { $date }
calendar-channel = ערוץ
calendar-kind = סוג
calendar-status = מצב
calendar-author = כותב
calendar-all = הכול
calendar-filter = סינון
calendar-tz = השעות לפי
calendar-quiet-on = חלונות שקטים פעילים
calendar-drag-hint = גררו פוסט ליום אחר כדי להעביר אותו
calendar-shabbat = שבת
calendar-add = פוסט חדש ב־
weekday-0 = ראשון
weekday-1 = שני
weekday-2 = שלישי
weekday-3 = רביעי
weekday-4 = חמישי
weekday-5 = שישי
weekday-6 = שבת
month-1 = ינואר
month-2 = פברואר
month-3 = מרץ
month-4 = אפריל
month-5 = מאי
month-6 = יוני
month-7 = יולי
month-8 = אוגוסט
month-9 = ספטמבר
month-10 = אוקטובר
month-11 = נובמבר
month-12 = דצמבר
holiday-rosh-hashana-1 = ראש השנה
holiday-rosh-hashana-2 = ראש השנה (יום ב׳)
holiday-yom-kippur = יום כיפור
holiday-sukkot = סוכות
holiday-shemini-atzeret = שמיני עצרת / שמחת תורה
holiday-pesach-1 = פסח
holiday-pesach-7 = שביעי של פסח
holiday-shavuot = שבועות
holiday-hanukkah-1 = חנוכה
holiday-purim = פורים
holiday-yom-hashoah = יום השואה
holiday-yom-hazikaron = יום הזיכרון
holiday-yom-haatzmaut = יום העצמאות
holiday-yom-yerushalayim = יום ירושלים
holiday-tisha-bav = תשעה באב
notify-review-requested-subject = { $actor } מבקש/ת את אישורך ל„{ $post }”
notify-review-requested-body = { $actor } שלח/ה פוסט של { $org } לאישור: „{ $post }”.
notify-approved-subject = { $actor } אישר/ה את „{ $post }”
notify-approved-body = { $actor } אישר/ה את הפוסט שלך „{ $post }” ב{ $org }.
notify-changes-requested-subject = { $actor } מבקש/ת שינויים ב„{ $post }”
notify-changes-requested-body = { $actor } מבקש/ת שינויים בפוסט שלך „{ $post }” ב{ $org }:
notify-comment-subject = { $actor } הגיב/ה על „{ $post }”
notify-comment-body = { $actor } הגיב/ה על „{ $post }” ב{ $org }:
done-post-created = הפוסט נוצר. עכשיו התאימו את הגרסה לכל ערוץ.
done-post-saved = הפוסט נשמר.
done-variant-saved = הגרסה לערוץ הזה נשמרה.
done-variant-follows = הגרסה לערוץ הזה חזרה לעקוב אחרי הטקסט הראשי.
done-post-submitted = הפוסט הועבר הלאה.
done-post-approved = הפוסט אושר.
done-post-changes = הכותב התבקש לבצע שינויים.
done-post-scheduled = הפוסט תוזמן.
done-post-unscheduled = הפוסט הוצא מהתזמון.
done-post-moved = הפוסט הועבר.
done-post-deleted = הפוסט נמחק.
done-comment-added = ההערה נוספה.
done-links-tracked = הקישורים הוחלפו בקישורים מקוצרים במעקב.
done-media-uploaded = הקובץ הועלה.
done-media-uploaded-location-removed = הקובץ הועלה. היה בו מיקום GPS, והוא הוסר.
done-media-deleted = הקובץ נמחק.
done-alt-saved = הטקסט החלופי נשמר.
done-link-created = הקישור המקוצר נוצר.
done-channel-saved = הערוץ נשמר.
done-channel-deleted = הערוץ נמחק.
done-studio-settings-saved = הגדרות הסטודיו נשמרו.
error-post-wrong-status = הפוסט לא במצב שמאפשר את זה (ייתכן שמישהו אחר פעל עליו קודם). טענו את העמוד מחדש.
error-post-needs-approval = צריך לאשר את הפוסט לפני שמתזמנים אותו.
error-post-has-problems = בגרסה של אחד הערוצים יש בעיות (ראו את ההערות באדום). תקנו אותן לפני התזמון.
error-approve-own-post = אי אפשר לאשר פוסט שכתבת; עורך אחר צריך לאשר.
error-time-skipped = השעה הזאת לא קיימת ביום הזה: השעון מוקדם אז. בחרו שעה אחרת.
error-time-in-past = המועד הזה כבר עבר. בחרו מועד עתידי.
error-post-has-no-time = לפוסט הזה עוד אין מועד מתוכנן. בחרו מתי לפרסם אותו.
error-quiet-window = המועד נופל בחלון שקט (שבת או חג) שבו לא מפרסמים דבר.
error-media-too-large = הקובץ גדול מדי.
error-media-too-many-pixels = בתמונה יש יותר מדי פיקסלים (עד 50 מגה־פיקסל, 12,000 בכל צלע).
error-media-unsupported = סוג הקובץ לא נתמך. השתמשו בתמונות JPEG,‏ PNG,‏ WebP או GIF, או בסרטוני MP4,‏ MOV או WebM.
error-media-corrupt = הקובץ פגום או חלקי.
error-media-encode = לא הצלחנו להמיר את התמונה.
error-media-empty = לא נבחר קובץ, או שהוא ריק.
error-media = אי אפשר להשתמש בקובץ.
settings-link-host = כתובת לקישורים המקוצרים של הארגון (לא חובה)
settings-link-host-hint = שם כמו go.example.org שמפנה לשרת הזה (רשומת CNAME ב־DNS). ריק: הקישורים המקוצרים משתמשים בכתובת השרת הזה.
connection-title = חיבור
connection-connected = מחובר בתור
connection-last-success = פרסום אחרון
connection-needs-reconnect = צריך לחבר מחדש
connection-last-error = שגיאה אחרונה:
connection-none = לא מחובר: פוסטים מתוזמנים לערוץ הזה ייכשלו. חברו אותו כאן.
connection-not-yet = פרסום לרשת הזאת עדיין לא זמין.
connection-server = כתובת השרת
connection-token = אסימון גישה
connection-token-hint = במסטודון: העדפות ← פיתוח ← יישום חדש, עם ההרשאות read ו־write:statuses write:media; העתיקו את „אסימון הגישה שלך”. הוא נשמר מוצפן.
connection-connect = חיבור
connection-disconnect = ניתוק
connection-disconnect-confirm = לנתק את הערוץ? פוסטים מתוזמנים אליו ייכשלו עד שיחובר מחדש.
done-channel-connected = הערוץ מחובר.
done-channel-disconnected = הערוץ נותק.
error-connection-refused = השרת דחה את הכתובת או את האסימון. בדקו את שניהם ונסו שוב.
error-network-not-supported = פרסום לרשת הזאת עדיין לא זמין.
publication-pending = ממתין לפרסום
publication-sending = בפרסום
publication-published = פורסם
publication-failed = לא פורסם
publication-unknown = לא ידוע: הרשת לא אישרה; בדקו את הערוץ לפני פרסום נוסף
error-publish-retry = לרשת הייתה תקלה חולפת; מנסים שוב
error-publish-rate-limited = הרשת ביקשה להמתין (מגבלת קצב); ננסה שוב מאוחר יותר
error-publish-reconnect = צריך לחבר את הערוץ מחדש (האסימון לא תקף, פג או חסר)
error-publish-rejected = הרשת דחתה את הפוסט
error-publish-unknown = התוצאה לא ידועה
connection-chat = ערוץ (‎@name או מזהה מספרי)
connection-bot-token = אסימון הבוט
connection-bot-hint = צרו בוט אצל ‎@BotFather, הפכו אותו למנהל הערוץ עם הרשאת פרסום, והדביקו את האסימון שלו. הוא נשמר מוצפן.
risk-title = פוסטים מתוזמנים שלא ייצאו
risk-not-connected = לא מחובר
risk-reconnect = צריך לחבר מחדש
risk-not-available = פרסום לרשת הזאת עדיין לא זמין
risk-posts = { $count ->
    [one] פוסט מתוזמן אחד
    [two] שני פוסטים מתוזמנים
   *[other] { $count } פוסטים מתוזמנים
}
connection-pds = שרת החשבון (PDS)
connection-bluesky-handle = שם המשתמש (handle)
connection-app-password = סיסמת יישום
connection-bluesky-hint = בבלוסקיי: הגדרות ← פרטיות ואבטחה ← סיסמאות יישום ← הוספה. אל תשתמשו בסיסמה הראשית. היא נשמרת מוצפנת. בשרת עצמאי, כתבו את כתובתו.
connection-x-token = אסימון גישה של המשתמש (OAuth 2.0)
connection-x-hint = אסימון גישה של חשבון ה־X של הארגון עם ההרשאות tweet.read tweet.write users.read media.write. הוא נשמר מוצפן. (התחברות ל־X מכאן תגיע עם חיבורי הרשתות.)
connection-linkedin-page = דף (urn:li:organization:…)
connection-linkedin-hint = אסימון גישה של מנהל הדף עם ההרשאה w_organization_social. הוא נשמר מוצפן.
connection-instagram-hint = אסימון משתמש ארוך־טווח של חשבון האינסטגרם המקצועי (Instagram Login), עם instagram_business_basic ו־instagram_business_content_publish. אינסטגרם מושך את התמונות מהכתובת הציבורית של השרת, ולכן השרת צריך להיות נגיש מהאינטרנט. הוא נשמר מוצפן.
connection-facebook-page = מזהה הדף
connection-facebook-token = אסימון הגישה של הדף
connection-facebook-hint = אסימון דף (מאסימון משתמש ארוך־טווח, עם pages_manage_posts ו־pages_read_engagement). פייסבוק מושך את התמונות מהכתובת הציבורית של השרת. הוא נשמר מוצפן.
connection-threads-hint = אסימון משתמש ארוך־טווח של Threads עם threads_basic ו־threads_content_publish. ‏Threads מושך את התמונות מהכתובת הציבורית של השרת. הוא נשמר מוצפן.
connection-sign-in = התחברות דרך השרת
connection-or-token = או חיבור עם אסימון גישה:
error-sign-in-expired = ההתחברות הזאת פגה או שכבר נוצלה. התחילו שוב מהערוץ.
error-sign-in-declined = הרשת לא נתנה גישה. אפשר להתחיל שוב מהערוץ.

# Channel health and signing in with the networks
health-title = בריאות הערוצים
health-intro = לכל ערוץ: החשבון המחובר, מתי האסימון פג, הפרסום המוצלח האחרון, השגיאה האחרונה, האם הרשת ביקשה להמתין, וכמה פוסטים מתוזמנים אליו בשבוע הקרוב.
health-none = אין עדיין ערוצים.
health-channel = ערוץ
health-state = מצב
health-account = חשבון
health-token = האסימון
health-last-success = פרסום מוצלח אחרון
health-last-error = שגיאה אחרונה
health-scheduled = מתוזמנים לשבוע הקרוב
health-action = פעולה
health-state-ok = תקין
health-state-reconnect = צריך לחבר מחדש
health-state-paused = בהמתנה לרשת
health-state-expiring = האסימון יפוג בקרוב
health-state-none = לא מחובר
health-state-unavailable = פרסום לרשת הזאת עדיין לא זמין
health-paused-until = עד
health-no-expiry = לא פג
health-expired = פג
health-renewed-automatically = מתחדש אוטומטית
health-reconnect = חיבור מחדש
health-expires-days = { $count ->
    [one] פג בעוד יום
    [two] פג בעוד יומיים
   *[other] פג בעוד { $count } ימים
}
health-expires-hours = { $count ->
    [one] פג בעוד שעה
    [two] פג בעוד שעתיים
   *[other] פג בעוד { $count } שעות
}
health-expires-minutes = { $count ->
    [one] פג בעוד דקה
    [two] פג בעוד שתי דקות
   *[other] פג בעוד { $count } דקות
}
connection-sign-in-with = התחברות דרך
error-oauth-app-missing = לשרת הזה אין יישום רשום ברשת הזאת; מנהל השרת מגדיר אותו (oauth_apps). בינתיים אפשר להתחבר עם אסימון.
error-choose-page = לחשבון יש כמה דפים. כתבו בשדה „חשבון” של הערוץ את מזהה הדף או את שמו, ונסו שוב.
error-no-page = לא נמצא דף שהחשבון מנהל. בדקו שאתם מנהלי הדף ושאישרתם את הגישה אליו.
error-publish-unsupported = הרשת לא מאפשרת את הפעולה הזאת
notify-channel-at-risk-subject = פוסטים מתוזמנים עלולים להיכשל: צריך לחבר ערוץ מחדש ({ $org })
notify-channel-at-risk-body = ערוץ של { $org } צריך חיבור מחדש, או שהאסימון שלו יפוג לפני הפוסטים שתוזמנו אליו (הראשון: „{ $post }”). חברו אותו מחדש בדף הערוצים כדי שהפוסטים יתפרסמו.

# Removing a post from a network
remove-from-network = הסרה מהרשת
remove-network-confirm = להסיר את הפוסט מהרשת? הוא יימחק שם (עם התגובות שלו); כאן הוא יישאר.
publication-deleting = מוסר מהרשת
publication-deleted = הוסר מהרשת
history-removal-requested = התבקשה הסרה מהרשת
history-removed = הוסר מהרשת
done-removal-requested = הפוסט יוסר מהרשת בעוד רגע.
error-network-cannot-delete = הרשת הזאת לא מאפשרת למחוק פוסטים דרך הממשק שלה; מחקו אותו באפליקציה של הרשת.
error-publication-not-published = הפוסט לא מפורסם בערוץ הזה.

# The organization's profile on the networks
profile-title = הפרופיל ברשתות
profile-intro = התיאור, האתר והלוגו של הארגון, כפי שיופיעו בחשבונות שלו ברשתות שמאפשרות לעדכן אותם מכאן (מסטודון, בלוסקיי, טלגרם, פייסבוק).
profile-description = תיאור קצר
profile-website = אתר
profile-logo = לוגו (מספריית המדיה)
profile-no-logo = בלי לוגו
profile-push = עדכון הפרופיל ברשתות
profile-push-confirm = לעדכן את הפרופיל בכל הערוצים המחוברים שמאפשרים זאת? הוא יחליף את מה שכתוב שם עכשיו.
profile-push-hint = בבלוסקיי ובטלגרם התיאור מוגבל לכ־255 תווים.
done-profile-saved = הפרופיל נשמר.
done-profile-pushing = הפרופיל מתעדכן ברשתות; התוצאה בדף בריאות הערוצים.
health-profile = פרופיל
health-profile-set = עודכן

# A published post's figures
metric-views = צפיות
metric-likes = לייקים
metric-replies = תגובות
metric-shares = שיתופים
metric-quotes = ציטוטים
metric-saves = שמירות
metric-clicks = הקלקות
demo-network-note = זו רשת ההדגמה המובנית של קהילה: הפוסט „פורסם” כאן בלבד, ושום דבר לא נשלח לרשת אמיתית. המספרים והתגובות לדוגמה.
demo-network-comments = תגובות

# Email campaigns
campaigns-title = קמפיינים
campaigns-intro = הודעות דוא״ל לקהילה: נכתבות ב־Markdown עם התאמה אישית, ויוצאות רק למי שהסכים למטרה שלהן.
campaigns-none = עדיין אין קמפיינים.
campaign-new = קמפיין חדש
campaign-edit = עריכת קמפיין
campaign-status-draft = טיוטה
campaign-name = שם (לשימוש פנימי)
campaign-purpose = מטרה (ההסכמה הנדרשת)
campaign-audience = קהל
campaign-everyone = כל האנשים
campaign-lang = שפה
campaign-advertising = זו פרסומת (מוסיף „פרסומת” לנושא, ואת פרטי הארגון וקישור הסרה לתחתית)
campaign-subject = נושא
campaign-body = תוכן
campaign-body-hint = Markdown: ‎**מודגש**‎, ‎[קישור](https://…)‎, רשימות עם „-”. התאמה אישית: ‎{"{{"} person.first_name | default("חבר/ה") {"}}"}‎.
campaign-preview = תצוגה מקדימה
campaign-preview-as = תצוגה בתור
campaign-sample-person = אדם לדוגמה
campaign-show = הצגה
done-campaign-saved = הקמפיין נשמר.
gate-title = מי יקבל
gate-eligible = { $count ->
    [one] אדם אחד יקבל
    [two] שני אנשים יקבלו
   *[other] { $count } אנשים יקבלו
}
gate-of-audience = { $count ->
    [one] מתוך אדם אחד בקהל
   *[other] מתוך { $count } בקהל
}
gate-no-address = בלי כתובת דוא״ל
gate-withdrawn = ביטלו את ההסכמה
gate-no-consent = לא נתנו הסכמה למטרה הזאת
error-template-unknown-variable = התבנית משתמשת במשתנה שאינו קיים (למשל ‎person.nickname‎). אפשר להשתמש ב־person.first_name, ‏person.last_name, ‏person.email, ‏org.name, או להוסיף ‎| default("…")‎.
error-template-syntax = שגיאת תחביר בתבנית; בדקו את הסוגריים ‎{"{{"} {"}}"}‎ ו־‎{"{%"} {"%}"}‎.
error-template-too-long = התבנית ארוכה מדי לחישוב (לולאה גדולה מדי).
error-template-error = לא ניתן להפיק את התבנית.
error-campaign-legal-missing = הודעת פרסומת חייבת לכלול את שם הארגון הרשום, פרטי התקשרות וקישור הסרה; מלאו אותם בהגדרות הארגון.
error-campaign-not-draft = הקמפיין כבר נשלח ואינו ניתן לעריכה.
campaign-test = שליחת בדיקה אליי
campaign-test-hint = נשלחת לכתובת שלך כפי שהאדם הנבחר יקבל אותה, עם „[בדיקה]” בנושא.
done-campaign-test-sent = הודעת הבדיקה בדרך לתיבה שלך.

## Campaign delivery
campaign-status-scheduled = מתוזמן
campaign-status-sending = בשליחה
campaign-status-paused = מושהה
campaign-status-cancelled = בוטל
campaign-status-sent = נשלח
campaign-progress = התקדמות השליחה
figure-sent = נשלחו
figure-delivered = נמסרו
figure-bounced = חזרו
figure-deferred = ממתינים לניסיון נוסף
figure-failed = נכשלו
figure-clicked = לחצו על קישור
figure-unsubscribed = הסירו את עצמם
figure-complaints = תלונות
figure-opened = פתחו
campaign-pause = השהיה
campaign-resume = המשך שליחה
campaign-cancel = ביטול השליחה
campaign-cancel-confirm = לבטל את השליחה? מי שעוד לא קיבל את ההודעה לא יקבל אותה.
campaign-send-title = שליחה
campaign-sink = לא הוגדר שרת דואר יוצא: ההודעות נמסרות לתיבה המובנית של השרת (מצב הדגמה) ואינן יוצאות ממנו.
campaign-send-confirm = { $count ->
    [one] לשלוח את הקמפיין לאדם אחד?
   *[other] לשלוח את הקמפיין ל־{ $count } אנשים?
}
campaign-when = מתי
campaign-now = עכשיו
campaign-later = במועד מתוזמן
campaign-open-tracking = ספירת פתיחות
campaign-open-tracking-hint = כבוי כברירת מחדל: תמונה זעירה בהודעה מגלה לשולח מתי נקראה. לא נשמרות כתובות IP.
campaign-send = שליחה
done-campaign-scheduled = הקמפיין תוזמן.
done-campaign-sending = הקמפיין בשליחה.
done-campaign-paused = השליחה הושהתה.
done-campaign-resumed = השליחה ממשיכה.
done-campaign-cancelled = השליחה בוטלה.
error-campaign-no-recipients = אין אף אחד בקהל שמותר לשלוח אליו את הקמפיין הזה.
error-campaign-state = לא ניתן לעשות זאת במצב הנוכחי של הקמפיין.
error-campaign-action-unknown = פעולה לא מוכרת.
gate-suppressed = כתובתם חזרה או שהתלוננו — לא שולחים אליהם עוד
sender-title = שולח ו־DKIM
sender-intro = ממי יגיעו הקמפיינים של הארגון, ומפתח החתימה שמוכיח לשרתי הדואר שהם באמת ממנו.
sender-now = ההודעות יוצאות כעת מ:
sender-from-name = שם השולח
sender-from-address = כתובת השולח
sender-reply-to = כתובת לתשובות
done-sender-saved = פרטי השולח נשמרו.
dkim-title = חתימת DKIM
dkim-intro = Kehilla יוצרת מפתח RSA של 2048 סיביות ושומרת את החלק הפרטי מוצפן. פרסמו את הרשומה שלמטה ב־DNS של הדומיין, ואז כל הודעה נחתמת.
dkim-record = הרשומה לפרסום ב־DNS (TXT)
dkim-record-name = שם
dkim-record-value = ערך
dkim-domain = דומיין
dkim-selector = בורר (selector)
dkim-generate = יצירת מפתח
dkim-replace-confirm = ליצור מפתח חדש? המפתח הקודם יפסיק לחתום מיד; פרסמו את הרשומה החדשה (או בחרו בורר חדש).
done-dkim-generated = נוצר מפתח DKIM. פרסמו את הרשומה ב־DNS.
field-account = מזהה החשבון (Account SID)
field-secret = אסימון הגישה
field-sender = השולח
field-url = כתובת השער
field-cost_per_segment = מחיר מקטע
field-from_name = שם השולח
field-from_address = כתובת השולח
field-reply_to = כתובת לתשובות
field-dkim_domain = דומיין
field-dkim_selector = בורר
field-scheduled_at = מועד
field-body = תוכן
field-subject = נושא
campaign-channel = ערוץ
sms-segments = מקטעים
sms-cost = עלות משוערת
sms-counter = { $segments } מקטעים · { $encoding } ({ $units }/{ $per }) · עלות משוערת { $cost } ₪
error-sms-no-gateway = לא הוגדר שער SMS לארגון. הגדירו אותו בעמוד "שולח ו־DKIM".
sms-gateway-title = שער SMS
sms-gateway-intro = Twilio, או שער HTTP של ספק מקומי. תשובות "הסר" או STOP מבטלות מיד את ההסכמה ל־SMS; אישורי מסירה מעדכנים כל הודעה.
sms-gateway-kind = סוג
sms-gateway-http = שער HTTP כללי
sms-gateway-account = מזהה החשבון (Twilio Account SID)
sms-gateway-secret = אסימון הגישה (Auth Token / Bearer)
sms-gateway-secret-kept = שמור — השאירו ריק כדי לא לשנות
sms-gateway-sender = שולח (מספר או שם עד 11 תווים)
sms-gateway-url = כתובת השער (לשער HTTP)
sms-gateway-cost = מחיר מקטע באגורות
sms-gateway-hooks = כתובות לשער
sms-gateway-hook-inbound = תשובות נכנסות
sms-gateway-hook-status = אישורי מסירה
done-sms-gateway-saved = שער ה־SMS נשמר.

## Automations
automations-title = אוטומציות
automations-intro = רצפי הודעות שאירוע מתחיל: הצטרפות לרשימה או לטופס, הרשמה לאירוע, התנדבות למשמרת, או חצי שנה בלי לחיצה. כל שלב נשלח אחרי השהיה, רק למי שנתן הסכמה; מי שמבטל את הסכמתו יוצא מהרצף.
automation-new = אוטומציה חדשה
automation-edit = עריכת אוטומציה
automation-steps = { $count ->
    [one] שלב אחד
   *[other] { $count } שלבים
}
automation-active = פעילה
automation-inactive = כבויה
automation-people-active = { $count ->
    [one] אדם אחד ברצף
   *[other] { $count } אנשים ברצף
}
automation-people-done = { $count ->
    [one] אחד סיים
   *[other] { $count } סיימו
}
automation-people-left = { $count ->
    [one] אחד יצא
   *[other] { $count } יצאו
}
automation-turn-on = הפעלה
automation-turn-off = כיבוי
automation-on-confirm = להפעיל את האוטומציה? מי שיעמוד בתנאי מעכשיו יקבל את ההודעות (אירועים קודמים לא מתחילים אותה).
automation-trigger = מה מתחיל את הרצף
automation-trigger-ref = רק לטופס או לרשימה בשם (ריק: כולם)
automation-step = שלב
automation-delay-first = שעות אחרי האירוע
automation-delay = שעות אחרי השלב הקודם
automation-add-step = מלאו נושא ותוכן כדי להוסיף שלב.
trigger-signed-up = הרשמה בטופס
trigger-joined-list = הצטרפות לרשימה
trigger-rsvp = הרשמה לאירוע
trigger-shift-signup = התנדבות למשמרת
trigger-no-click-180 = בלי לחיצה 180 יום
done-automation-saved = האוטומציה נשמרה.
done-automation-on = האוטומציה פעילה.
done-automation-off = האוטומציה כבויה.
field-delay_hours = השהיה בשעות
field-trigger = מה מתחיל את הרצף
field-steps = שלבים
campaign-format = עורך
campaign-format-markdown = טקסט (Markdown)
campaign-format-blocks = בלוקים
campaign-blocks = בלוקים של ההודעה
block-kind = סוג הבלוק
block-add = — הוספת בלוק —
block-heading = כותרת
block-text = טקסט
block-button = כפתור
block-image = תמונה
block-divider = קו מפריד
block-url = כתובת (לכפתור או לתמונה)
block-alt = תיאור התמונה
block-order = מקום
block-remove = הסרת הבלוק
sender-brand-color = צבע הארגון (כותרות וכפתורים)
error-blocks-malformed = הבלוקים פגומים.
error-blocks-invalid = אחד הבלוקים חסר: לכפתור צריך טקסט וכתובת https, לתמונה כתובת https.
error-blocks-too-many = יותר מדי בלוקים (עד 50).
error-blocks-mjml = לא ניתן היה לבנות את ההודעה מהבלוקים.
field-format = עורך
campaign-attachments = קבצים מצורפים (מספריית המדיה)
campaign-attachments-hint = עד 10 MB יחד. קובץ גדול עדיף כקישור.
field-attachments = קבצים מצורפים (עד 10 MB יחד)

## האתר של הארגון
site-settings-title = האתר
site-address = האתר שלכם:
site-profile-note = השם, התיאור, אתר הבית והלוגו מגיעים מפרופיל הארגון.
site-profile-link = עריכת הפרופיל
site-card = כרטיס הארגון
field-site_strengths = חוזקות
site-strengths-help = במה הארגון טוב במיוחד, אחת בכל שורה.
field-site_keywords = מילות מפתח
site-keywords-help = מופרדות בפסיקים; עד 20.
field-site_links = קישורים
site-links-help = אחד בכל שורה: שם, קו אנכי והכתובת (פייסבוק | https://facebook.com/…).
field-site_domain = דומיין משלכם
site-domain-help = למשל www.example.org. הפנו את ה־DNS של הדומיין לשרת הזה ({ $host }) והאתר יענה גם שם.
site-pages = עמודים
site-no-pages = עדיין אין עמודים. עמוד "אודות" ועמוד "צור קשר" הם התחלה טובה.
site-page-new = עמוד חדש
site-page-edit = עריכת עמוד
site-page-edit-link = עריכה
site-page-slug = כתובת (לא חובה)
site-page-body = טקסט (Markdown)
site-page-position = מקום בתפריט
site-page-delete-confirm = למחוק את העמוד? קישורים אליו יפסיקו לעבוד.
done-site-saved = האתר נשמר.
done-site-page-saved = העמוד נשמר.
done-site-page-deleted = העמוד נמחק.
error-site-domain-taken = ארגון אחר כבר משתמש בדומיין הזה.
error-site-page-slug-taken = לעמוד אחר כבר יש את הכתובת הזו.
site-nav = האתר
site-posts = פוסטים
site-powered = פורסם באמצעות קהילה
site-default-description = חדשות ועדכונים מ{ $org }.
site-status = עכשיו
site-strengths = במה אנחנו טובים
site-no-posts = עדיין לא פורסם דבר.
site-older = פוסטים קודמים
site-event-when = מתי
site-event-where = איפה
site-more-link = פרטים והרשמה
site-events = אירועים
site-no-events = עדיין אין אירועים. כתבו אירוע בסטודיו (עם שעה ומקום); כשיתפרסם, יתקבלו כאן הרשמות.
event-admin-title = אירוע
event-going = { $count } נרשמו
event-going-of = { $count } נרשמו
event-settings = הגדרות הרשמה
field-capacity = מקומות
event-capacity-help = כולל אורחים. השאירו ריק אם אין הגבלה.
event-waitlist = כשמתמלא, לנהל רשימת המתנה
event-rsvp-open = ההרשמה פתוחה
field-duration_minutes = משך (בדקות)
field-online_url = קישור להשתתפות מקוונת
event-shifts = משמרות מתנדבים
event-shift-delete-confirm = להסיר את המשמרת? ההרשמות אליה יוסרו איתה.
field-starts_at = התחלה
field-ends_at = סיום
event-rsvps = הרשמות
event-no-rsvps = עדיין אף אחד.
event-shift = משמרת
event-status = מצב
event-attendance = נוכחות
event-came = הגיע/ה
event-absent = לא הגיע/ה
event-cancel = ביטול
rsvp-status-going = רשום/ה
rsvp-status-waitlist = ברשימת המתנה
rsvp-status-cancelled = בוטל
done-event-saved = האירוע נשמר.
done-shift-added = המשמרת נוספה.
done-shift-deleted = המשמרת הוסרה.
done-rsvp-marked = נשמר.
rsvp-title = מגיעים?
rsvp-online = קישור להשתתפות מקוונת
rsvp-add-to-calendar = הוספה ליומן
rsvp-going = נרשמתם. נתראה שם!
rsvp-waitlist = האירוע מלא: אתם ברשימת ההמתנה, ונודיע לכם אם יתפנה מקום.
rsvp-left = נשארו { $count } מקומות
rsvp-full-waitlist = האירוע מלא; אפשר להצטרף לרשימת ההמתנה.
rsvp-full = האירוע מלא.
rsvp-what = אני מגיע/ה ל
rsvp-just-come = האירוע
rsvp-shift-full = מלאה
rsvp-guests = אורחים איתי
rsvp-submit = הרשמה
rsvp-closed = ההרשמה לאירוע נסגרה.
error-event-full = לא נשארו מקומות. בחרו משמרת אחרת או אירוע אחר.
error-event-closed = ההרשמה לאירוע הזה נסגרה.
event-mail-day-subject = מחר: { $event }
event-mail-day-body = שלום { $name },

    תזכורת: { $event } מחר, { $when }, ב{ $place }.

    נתראה שם,
    { $org }
event-mail-hours-subject = בקרוב: { $event }
event-mail-hours-body = שלום { $name },

    { $event } מתחיל בקרוב: { $when }, ב{ $place }.

    { $org }
event-mail-shift = המשמרת שלך: { $shift }.
event-mail-thanks-subject = תודה שהגעת ל{ $event }
event-mail-thanks-body = שלום { $name },

    תודה שהגעת ל{ $event }. בלעדיך זה לא היה קורה.

    { $org }
event-sms-day = { $org }: תזכורת, { $event } מחר ב־{ $when }, { $place }.
event-sms-hours = { $org }: { $event } מתחיל בקרוב ({ $when }), { $place }.
pledge-title = התחייבות לתרומה
pledge-amount = סכום (₪)
pledge-monthly-box = בכל חודש
pledge-monthly = חודשי
pledge-submit = המשך לתשלום
pledge-note = התשלום בעמוד התשלום של הארגון עצמו; קהילה לא רואה את פרטי הכרטיס.
call-title = הרשמה להתנדבות
call-open-form = פתיחת הטופס בעמוד נפרד
site-pledges = התחייבויות לתרומה
site-no-pledges = עדיין אין התחייבויות. ערעור תרומה שפורסם עם קישור לתשלום מקבל אותן.
site-pledge-count = { $count } התחייבויות
comments-title = תגובות
comments-title-admin = דיונים וניהול תגובות
comments-replies = תגובות
comments-body = התגובה שלך
comments-name = השם שלך (יוצג)
comments-email-help = לא יוצג. בפעם הראשונה נשלח קישור לאישור הכתובת.
comments-submit = שליחה
comment-posted-visible = התגובה שלך פורסמה.
comment-posted-pending = תודה! התגובה תופיע אחרי שמנהל/ת הדיון יקרא אותה.
comment-posted-check-email = כמעט: שלחנו קישור לכתובת המייל שלך. לחיצה עליו תעביר את התגובה לאישור.
comment-posted-verified = הכתובת אושרה. התגובה תופיע אחרי אישור; התגובות הבאות יופיעו מיד.
comment-verify-title = אישור הכתובת
comment-verify-text = אשרו שהכתובת הזו שלכם, כדי שהתגובות שלכם יוכלו להופיע באתר.
comment-verify-button = אישור
comment-verify-subject = אישור התגובה שלך באתר של { $org }
comment-verify-body = שלום,

    מישהו (אנחנו מקווים שאת/ה) הגיב באתר של { $org } עם הכתובת הזו. לאישור, פתחו:

    { $link }

    אם זה לא היית את/ה, התעלמו מההודעה: דבר לא יוצג.
comments-queue = ממתינות לאישור
comments-queue-empty = אין תגובות ממתינות.
comments-approve = אישור
comments-hide = הסתרה
comments-ban = חסימת המגיב/ה
boards-title = דיונים
boards-none = עדיין אין לוחות דיון.
boards-no-threads = עדיין אין כאן דיונים. פתחו את הראשון!
boards-new-thread = פתיחת דיון
boards-description = תיאור
done-comment-moderated = בוצע.
done-board-created = הלוח נוצר.
error-comment-banned = תגובות מהכתובת הזו אינן מתקבלות.
error-board-slug-taken = כבר יש לוח בשם הזה.
fedi-title = פדיברס
fedi-handle = כל אחד במסטודון ובפדיברס יכול לעקוב אחרי
fedi-followers = { $count } עוקבים
fedi-follow-label = מעקב אחרי חשבון
fedi-follow = מעקב
done-ap-follow-sent = בקשת המעקב נשלחה.
studio-on-site = באתר הארגון:
studio-site-figures = לייקים בפדיברס: { $likes }
studio-site-boosts = הדהודים: { $boosts }
studio-site-replies = תגובות בפדיברס: { $replies }
studio-site-comments = תגובות באתר: { $comments }
post-correct = תיקון או הסרה מהאתר
post-correct-help = משנה את הטקסט באתר הארגון ובחשבון הפדיברס (העוקבים יראו את העריכה). ברשתות נשאר מה שפורסם.
post-correct-save = שמירת התיקון
post-withdraw = הסרה מהאתר ומהפדיברס
post-withdraw-confirm = להסיר את הפוסט מאתר הארגון ומחשבון הפדיברס? הכתובת שלו תפסיק לעבוד.
done-post-corrected = התיקון באתר; הפדיברס יתעדכן.
done-post-withdrawn = הפוסט הוסר מהאתר; הפדיברס יתעדכן.
post-status-withdrawn = הוסר
history-corrected = תוקן באתר
history-withdrawn = הוסר מהאתר

## Inbox
inbox-title = תיבת שיחות
inbox-settings-title = הגדרות תיבת השיחות
inbox-times-title = זמני תגובה
inbox-mine = מוקצות לי
inbox-new-count = { $count ->
    [one] שיחה חדשה אחת
    [two] שתי שיחות חדשות
   *[other] { $count } שיחות חדשות
}
inbox-mine-count = { $count ->
    [one] אחת פתוחה אצלך
    [two] שתיים פתוחות אצלך
   *[other] { $count } פתוחות אצלך
}
inbox-status = סטטוס
inbox-status-active = לא טופלו
inbox-status-new = חדשה
inbox-status-open = פתוחה
inbox-status-waiting = ממתינה לתגובה
inbox-status-done = טופלה
inbox-status-flagged = מסומנות
inbox-status-all = הכול
inbox-source = מקור
inbox-source-any = כל המקורות
inbox-source-site = האתר
inbox-source-fediverse = פדיברס
inbox-source-email = דוא״ל
inbox-source-sms = SMS
inbox-label = תווית
inbox-labels = תוויות
inbox-search = חיפוש בתיבה
inbox-filter = הצגה
inbox-keys = מקשים: j/k הבאה והקודמת, Enter פותח, / חיפוש; בשיחה: r תשובה, e טופלה, a הקצאה אליי.
inbox-empty = אין כאן כלום. תגובות, תשובות ואזכורים מגיעים לכאן מכל ערוץ מחובר, מהאתר, מהפדיברס, מדוא״ל ומ־SMS.
inbox-on-post = על:
inbox-flagged = מסומנת
inbox-flag-word = סומנה: „{ $word }”
inbox-flag-links = סומנה: { $count } קישורים
inbox-newer = חדשות יותר
inbox-older = ישנות יותר
inbox-priority = עדיפות
inbox-priority-0 = רגילה
inbox-priority-1 = גבוהה
inbox-priority-2 = דחופה
inbox-state-shown = מוצגת
inbox-state-hidden = מוסתרת
inbox-state-approval = ממתינה לאישור
inbox-state-queued = נשלחת
inbox-state-sending = נשלחת
inbox-state-sent = נשלחה
inbox-state-failed = לא נשלחה
inbox-state-unknown = לא ידוע אם נשלחה: יש לבדוק ברשת
inbox-state-declined = נדחתה
inbox-state-deleted = נמחקה
inbox-state-erased = נמחקה עם רשומת איש הקשר
inbox-liked = סומנה בלייק
inbox-open-on-network = פתיחה ברשת
inbox-answer-this = לענות על זו
inbox-like = לייק
inbox-hide = הסתרה
inbox-delete = מחיקה ברשת
inbox-delete-confirm = למחוק את התשובה הזו ברשת? היא נשארת כאן, מסומנת כמחוקה.
inbox-approve = אישור ושליחה
inbox-decline = דחייה
inbox-answer = תשובה
inbox-answer-label = התשובה שלך (נשלחת דרך הרשת שממנה הגיעה ההודעה)
inbox-saved-replies = תשובות שמורות
inbox-send = שליחה
inbox-triage = טיפול
inbox-mark-done = סימון כטופלה
inbox-assignee = באחריות
inbox-nobody = אף אחד
inbox-person = איש קשר
inbox-person-history = הודעות קודמות
inbox-make-person-as = הוספה בתור
inbox-make-person = הוספה לאנשי הקשר
inbox-link-person = או קישור לאיש קשר לפי דוא״ל או טלפון
inbox-link = קישור
inbox-person-no-consent = הוספת איש קשר אינה נותנת הסכמה לדיוור: איש הקשר נרשם בעצמו.
inbox-notes = הערות פנימיות
inbox-note-label = הערה לצוות (לא נשלחת)
inbox-add-note = הוספת הערה
inbox-digest = הסיכום שלי בדוא״ל
inbox-digest-label = דוא״ל יומי עם מה שחדש ופתוח
inbox-digest-daily = יומי
inbox-digest-off = כבוי
inbox-saved-help = משתנים: {"{{ name }}"}‏, {"{{ first_name }}"} ו־{"{{ org }}"} מתמלאים כשמשתמשים בתשובה.
inbox-saved-body = טקסט
inbox-saved-delete-confirm = למחוק את התשובה השמורה?
inbox-saved-delete = מחיקה
inbox-moderation = סינון ואישור
inbox-approval = תשובות של תורמי תוכן ממתינות לאישור עורך/ת
inbox-flag-words = מילים שמסמנות הודעה לבדיקה
inbox-hide-words = מילים שמסתירות הודעה (גם מהציבור, כשהרשת מאפשרת)
inbox-words-help = מילה או ביטוי בכל שורה, בעברית או באנגלית. מילים בעברית נמצאות גם אחרי ו ה ב כ ל מ ש; ניקוד ואותיות סופיות לא משנים. שום דבר לא נמחק: הודעות מוסתרות נשארות כאן, מסומנות.
inbox-max-links = סימון הודעות עם יותר קישורים מ־ (0: ללא הגבלה)
inbox-hooks = Webhooks
inbox-hooks-meta = פייסבוק, אינסטגרם ו־Threads שולחים תגובות אל:
inbox-hooks-poll = כל ערוץ מחובר נקרא גם כל חמש דקות (בכבוד למגבלות הרשתות).
inbox-telegram-connect = קבלת תגובות והודעות מטלגרם
inbox-times-help = שיחות שהתחילו ב־30 הימים האחרונים: כמה מהר יצאה התשובה הראשונה, וכמה מהר טופלו.
inbox-times-by-channel = לפי ערוץ
inbox-times-by-member = לפי חבר צוות (תשובה ראשונה)
inbox-times-group = ערוץ או חבר צוות
inbox-times-conversations = שיחות
inbox-times-answered = נענו
inbox-times-first = זמן ממוצע לתשובה ראשונה
inbox-times-resolved = טופלו
inbox-times-resolution = זמן ממוצע עד טיפול
inbox-minutes = { $count ->
    [one] דקה אחת
    [two] שתי דקות
   *[other] { $count } דקות
}
inbox-hours = { $count ->
    [one] שעה אחת
    [two] שעתיים
   *[other] { $count } שעות
}
inbox-digest-subject = { $org }: { $new ->
    [one] שיחה חדשה אחת בתיבה
    [two] שתי שיחות חדשות בתיבה
   *[other] { $new } שיחות חדשות בתיבה
}
inbox-digest-intro = תיבת השיחות של { $org }: { $new ->
    [one] שיחה חדשה אחת
    [two] שתי שיחות חדשות
   *[other] { $new } שיחות חדשות
}, { $mine ->
    [one] אחת פתוחה ובאחריותך
   *[other] { $mine } פתוחות ובאחריותך
}. האחרונות:
inbox-digest-footer = לכיבוי הסיכום: { $link }
done-inbox-answered = התשובה בדרך.
done-inbox-saved = נשמר.
done-inbox-noted = ההערה נוספה.
done-inbox-linked = קושר.
done-inbox-person-made = נוסף לאנשי הקשר.
done-inbox-reviewed = בוצע.
done-inbox-acted = בדרך לרשת.
done-inbox-settings-saved = ההגדרות נשמרו.
done-inbox-saved-reply = התשובה השמורה נשמרה.
done-inbox-saved-reply-deleted = התשובה השמורה נמחקה.
done-inbox-telegram-connected = טלגרם ישלח לכאן תגובות והודעות.
error-inbox-answer-exists = התשובה הזו כבר נכתבה.
error-inbox-not-waiting = התשובה הזו לא ממתינה לאישור.
error-inbox-already-linked = הכותב כבר מקושר לאיש קשר.
error-inbox-telegram-failed = טלגרם לא קיבל את ה־webhook. יש לבדוק את הטוקן של הבוט ושהשרת זמין ב־HTTPS.
error-inbox-outcome-unknown = הרשת לא אמרה אם התשובה יצאה: יש לבדוק שם לפני שעונים שוב.
notify-inbox-assigned-subject = { $actor } הקצה/תה לך שיחה בתיבת השיחות
notify-inbox-assigned-body = { $actor } הקצה/תה לך שיחה בתיבת השיחות של { $org }.

## My account
account-title = החשבון שלי
account-sessions = איפה החשבון מחובר
account-sessions-help = כל דפדפן או מכשיר שמחובר לחשבון שלך. אפשר לנתק כל חיבור שלא מוכר לך; החלפת סיסמה מנתקת את כל החיבורים האחרים.
account-device = דפדפן ומערכת
account-device-unknown = דפדפן לא ידוע
account-address = כתובת
account-signed-in = התחברות
account-last-seen = פעילות אחרונה
account-this-session = הדפדפן הזה
account-sign-out-there = ניתוק
account-sign-out-others = ניתוק מכל שאר המכשירים
account-sign-out-others-confirm = לנתק את כל שאר הדפדפנים והמכשירים?
account-password = סיסמה
account-current-password = הסיסמה הנוכחית
account-new-password = סיסמה חדשה
account-password-help = לפחות 10 תווים. כל שאר החיבורים לחשבון יסתיימו.
account-change-password = החלפת סיסמה
field-current_password = הסיסמה הנוכחית
done-sessions-revoked = החיבור נותק.
done-password-updated = הסיסמה הוחלפה; כל שאר החיבורים נותקו.
audit-sessions-revoked = חיבורים נותקו

## Two-factor login
two-factor-title = אימות דו־שלבי
two-factor-help = נוסף על הסיסמה, נכנסים עם קוד בן שש ספרות מאפליקציית אימות בטלפון (כמו Aegis,‏ FreeOTP,‏ Google Authenticator או 1Password). מי שגילה את הסיסמה שלכם עדיין לא יוכל להיכנס.
two-factor-start = הגדרת אימות דו־שלבי
two-factor-on = פעיל
two-factor-off = כבוי
two-factor-column = אימות דו־שלבי
two-factor-codes-left = { $count ->
    [one] נותר קוד שחזור אחד שלא נוצל.
    [two] נותרו שני קודי שחזור שלא נוצלו.
   *[other] נותרו { $count } קודי שחזור שלא נוצלו.
}
two-factor-renew-codes = יצירת קודי שחזור חדשים
two-factor-disable = כיבוי האימות הדו־שלבי
two-factor-disable-confirm = לכבות את האימות הדו־שלבי? אז הסיסמה לבדה תפתח את החשבון.
two-factor-required-by = { $orgs } מבקש מכם להשתמש באימות דו־שלבי. הגדירו אותו כדי להמשיך לעבוד שם.
two-factor-kept-by = { $orgs } מבקש אימות דו־שלבי, ולכן הוא נשאר פעיל.
two-factor-setup-title = הגדרת אימות דו־שלבי
two-factor-setup-scan = סרקו את הקוד הזה באפליקציית האימות.
two-factor-setup-key = או הקלידו את המפתח הזה באפליקציה:
two-factor-setup-open-app = פתיחה באפליקציית אימות במכשיר הזה
two-factor-setup-enter = הקלידו את הקוד בן שש הספרות שהאפליקציה מציגה עכשיו.
two-factor-setup-confirm = הפעלה
two-factor-cancel = ביטול
two-factor-login-title = אימות דו־שלבי
two-factor-login-help = הקלידו את הקוד בן שש הספרות מאפליקציית האימות.
two-factor-login-recovery = הטלפון אבד? הקלידו במקומו אחד מקודי השחזור.
two-factor-verify = המשך
two-factor-start-over = כניסה מחדש
two-factor-policy = מי חייב להשתמש באימות דו־שלבי
two-factor-policy-none = אף אחד (כל אחד בוחר)
two-factor-policy-admins = בעלים ומנהלים
two-factor-policy-everyone = כל חברי הצוות
two-factor-policy-help = מי שהדרישה חלה עליו יגדיר אותו לפני שימשיך לעבוד בארגון. מפתחות API אינם מושפעים.
recovery-codes-title = קודי השחזור שלכם
recovery-codes-help = אם הטלפון יאבד, כל אחד מהקודים האלה מכניס אתכם פעם אחת. הדפיסו אותם או שמרו אותם במנהל הסיסמאות.
recovery-codes-once = הם מוצגים רק עכשיו. קודים חדשים מבטלים את אלה.
recovery-codes-saved = שמרתי אותם
field-code = קוד
error-input-wrong-code = הקוד שגוי, כבר נוצל או שפג תוקפו.
error-login-expired = הכניסה ארכה זמן רב מדי או שהוקלדו יותר מדי קודים שגויים. היכנסו מחדש.
error-two-factor-required = הארגון הזה מבקש מכם להשתמש באימות דו־שלבי. הגדירו אותו קודם בדף החשבון.
error-two-factor-on = האימות הדו־שלבי כבר פעיל.
error-two-factor-off = האימות הדו־שלבי כבוי.
error-two-factor-not-started = התחילו קודם בהגדרת האימות הדו־שלבי.
error-two-factor-required-by-org = ארגון שאתם חברים בו מבקש אימות דו־שלבי, ולכן אי אפשר לכבות אותו.
error-two-factor-yourself-first = הפעילו קודם אימות דו־שלבי לעצמכם, בדף החשבון, כדי שלא תינעלו מחוץ לחשבון.
done-login-expired = הכניסה ארכה זמן רב מדי או שהוקלדו יותר מדי קודים שגויים. היכנסו מחדש.
done-two-factor-required = ארגון שאתם חברים בו מבקש מכם להשתמש באימות דו־שלבי. הגדירו אותו כאן כדי להמשיך.
done-two-factor-off = האימות הדו־שלבי כבוי.
done-recovery-codes-saved = האימות הדו־שלבי פעיל.
audit-two-factor-enabled = אימות דו־שלבי הופעל
audit-two-factor-disabled = אימות דו־שלבי כובה
audit-recovery-codes-renewed = נוצרו קודי שחזור חדשים
audit-recovery-code-used = כניסה עם קוד שחזור
audit-two-factor-policy = דרישת האימות הדו־שלבי שונתה
done-two-factor-policy-saved = נשמר: מי חייב להשתמש באימות דו־שלבי.
error-unavailable = קהילה לא מצליחה להגיע כרגע למסד הנתונים. שום דבר ששמרתם לא אבד; נסו שוב בעוד דקה.
error-storage-full = האחסון בשרת מלא, ולכן לא ניתן היה לשמור. שום דבר לא נשמר חלקית; בקשו ממי שמפעיל את השרת לפנות מקום, ונסו שוב.

## Plan
plan-intro = ממפים את הרשתות, קובעים יעדים עם מספרים ותאריכים, מגדירים למי פונים, ומחליטים כל כמה זמן מפרסמים.
plan-see-progress = להתקדמות מול היעדים
plan-guide-title = צעדים ראשונים: התוכנית בארבעה צעדים
plan-guide-intro = תוכנית עונה על ארבע שאלות: איפה אנחנו, מה רוצים, בשביל מי, ובאיזו תדירות.
plan-step-map = למפות את הרשתות
plan-step-map-hint = לכתוב לכל ערוץ מה מטרתו.
plan-step-goals = לקבוע יעדים
plan-step-goals-hint = מספר, תאריך יעד והמדד שמראה אותו.
plan-step-audiences = להגדיר קהלים
plan-step-audiences-hint = למי פונים; לקשר כל קהל לפלח של אנשי הקשר.
plan-step-cadence = לקבוע תדירות
plan-step-cadence-hint = כל כמה זמן צריך פוסט חדש בכל ערוץ.
plan-step-done = בוצע
plan-guide-hide = להסתיר את המדריך
plan-guide-finish = סיימנו — להסתיר את המדריך
plan-guide-show = להציג את מדריך הצעדים הראשונים
plan-map-title = מפת הערוצים
plan-map-intro = לכל רשת: המטרה, הקהל, תדירות הפרסום, והשעות והכסף שהיא דורשת בכל חודש.
plan-map-none = עדיין אין ערוצים. מוסיפים אותם בסטודיו:
plan-purpose = מטרה
plan-audience = קהל
plan-none = (ללא)
plan-cadence = פוסט לפחות כל … ימים
plan-hours = שעות בחודש
plan-budget = תקציב בחודש (₪)
plan-totals = בסך הכול:
plan-hours-total = { $count ->
    [one] שעה אחת בחודש
    [two] שעתיים בחודש
   *[other] { $count } שעות בחודש
}
plan-budget-total = { $count } ₪ בחודש
plan-audiences-title = קהלים
plan-audiences-intro = האנשים שרוצים להגיע אליהם. קהל שמקושר לפלח אפשר לספור ולשלוח אליו.
plan-audiences-none = עדיין אין קהלים.
plan-audience-name = שם
plan-audience-description = תיאור
plan-segment = פלח:
plan-audience-add = להוסיף את הקהל
plan-audience-remove-confirm = להסיר את הקהל? יעדים וערוצים שמזכירים אותו שומרים על שאר ההגדרות.
plan-goals-title = יעדים
plan-goals-intro = כל יעד סופר מדד מיום ההתחלה עד יום הסיום, מול מספר יעד.
plan-goals-none = עדיין אין יעדים.
plan-goal-title = יעד
plan-goal-metric = נמדד לפי
plan-goal-target = מספר היעד
plan-goal-start = מתאריך
plan-goal-end = עד תאריך
plan-goal-channel = ערוץ
plan-goal-all-channels = כל הערוצים
plan-goal-channel-hint = רק למדדים שנשמרים לכל ערוץ (עוקבים, הקלקות, פוסטים, צפיות, מעורבות).
plan-goal-add = להוסיף את היעד
plan-goal-remove-confirm = להסיר את היעד? הנתונים נשארים; רק היעד יוסר.
done-plan-map-saved = מפת הערוצים נשמרה.
done-plan-audience-added = הקהל נוסף.
done-plan-audience-removed = הקהל הוסר.
done-plan-goal-added = היעד נוסף.
done-plan-goal-removed = היעד הוסר.
done-plan-guide-saved = נשמר.

## Measure
measure-intro = ההתקדמות מול היעדים, מהנתונים שנאספים כל יום: הקלקות, הרשמות, אישורי הגעה, דיוור והנתונים של הרשתות עצמן.
measure-goals-title = יעדים
measure-goals-none = עדיין אין יעדים.
measure-forecast = תחזית לסוף התקופה:
measure-progress = ההתקדמות אל היעד
measure-target = יעד
measure-csv = להוריד את הנתונים (CSV)
measure-table = הנתונים כטבלה
measure-day = יום
measure-summary-title = 30 הימים האחרונים
measure-chart-description = { $metric }: { $current } מתוך { $target }; בקצב הזה { $projected } עד { $end } — { $outlook }.
minutes = { $count ->
    [one] דקה אחת
    [two] שתי דקות
   *[other] { $count } דקות
}
outlook-not_started = טרם התחיל
outlook-reached = הושג
outlook-on_track = בדרך ליעד
outlook-behind = מפגר אחרי היעד
outlook-met = הושג
outlook-missed = לא הושג
outlook-no_data = עדיין אין נתונים
goal-metric-followers = עוקבים
goal-metric-fediverse_followers = עוקבים של האתר בפדיוורס
goal-metric-subscribers = מנויים לניוזלטר
goal-metric-people = אנשי קשר
goal-metric-new_people = אנשי קשר חדשים
goal-metric-signups = הרשמות
goal-metric-volunteer_signups = הרשמות למשמרות התנדבות
goal-metric-rsvps = אישורי הגעה
goal-metric-pledges = התחייבויות לתרומה
goal-metric-pledged = סכום ההתחייבויות
goal-metric-clicks = הקלקות על קישורים
goal-metric-posts_published = פוסטים שפורסמו
goal-metric-views = צפיות
goal-metric-engagements = תגובות ושיתופים
goal-metric-engagement_rate = שיעור המעורבות
goal-metric-emails_sent = מיילים שנשלחו
goal-metric-email_opens = פתיחות מיילים
goal-metric-first_response_minutes = זמן עד מענה ראשון
goal-metric-messages_in = הודעות שהתקבלו
measure-top-title = הפוסטים המובילים ב־90 הימים האחרונים
measure-top-engagement = לפי מעורבות
measure-top-conversions = לפי ההרשמות, אישורי ההגעה וההתחייבויות שהביאו
measure-top-none = עדיין אין.
measure-attribution-title = מאיפה הגיעו ההרשמות, אישורי ההגעה וההתחייבויות
measure-attribution-intro = נספר כשמישהו מגיע מקישור במעקב (פרמטרי ה־UTM שלו מציינים את הפוסט ואת הרשת) ונרשם, מאשר הגעה או מתחייב לתרומה בתוך 30 יום.
measure-attribution-none = ב־90 הימים האחרונים לא הגיע אף אחד מקישור במעקב.
measure-post = פוסט
measure-channel = ערוץ
measure-kind = מה
measure-count = כמה
measure-show = להציג
conversion-signup = הרשמה
conversion-rsvp = אישור הגעה
conversion-pledge = התחייבות לתרומה
measure-best-time-title = הזמן הטוב ביותר לפרסם
measure-best-time-caption = מעורבות ממוצעת לפוסט לפי היום והשעה שבהם פורסם
measure-best-time-intro = { $count ->
    [one] לפי פוסט אחד מהשנה האחרונה. לוח השנה מציע את המשבצת הפנויה הטובה ביותר בשבוע.
    [two] לפי שני פוסטים מהשנה האחרונה. לוח השנה מציע את המשבצת הפנויה הטובה ביותר בשבוע.
   *[other] לפי { $count } פוסטים מהשנה האחרונה. לוח השנה מציע את המשבצת הפנויה הטובה ביותר בשבוע.
}
measure-best-time-little = { $count ->
    [one] עד עכשיו רק פוסט אחד מהשנה האחרונה; מ־8 פוסטים לוח השנה יציע את המשבצת הפנויה הטובה ביותר בשבוע.
    [two] עד עכשיו רק שני פוסטים מהשנה האחרונה; מ־8 פוסטים לוח השנה יציע את המשבצת הפנויה הטובה ביותר בשבוע.
   *[other] עד עכשיו רק { $count } פוסטים מהשנה האחרונה; מ־8 פוסטים לוח השנה יציע את המשבצת הפנויה הטובה ביותר בשבוע.
}
report-title = דוח חודשי
report-link = הדוח החודשי להנהלה
report-period = תקופה:
report-month = חודש
report-goals = יעדים
report-value = עכשיו
report-outlook = מצב
report-growth = צמיחה
report-start = בתחילת החודש
report-end = בסוף החודש
report-activity = מה קרה
report-top = הפוסטים המובילים
report-conversation = השיחה
report-responses = שיחות שנענו
report-monthly-label = לשלוח את הדוח במייל לבעלים ולמנהלים בראשון לכל חודש
done-report-schedule-saved = נשמר.
report-email-subject = { $org }: הדוח של { $month }
report-email-intro = הדוח של { $org } לחודש { $month }.
report-email-link = הדוח המלא, עם הגרפים: { $link }
error-report-in-future = החודש הזה עוד לא התחיל.
error-day-out-of-range = היום הזה מחוץ לטווח.
error-unknown-metric = המדד הזה לא נמצא ברשימת המדדים.
plan-goal-audience-hint = למי היעד מכוון, לתיעוד; הנתונים הם של הארגון (או של הערוץ).
report-pdf = להוריד כ־PDF
error-report-font-missing = לקובץ ה־PDF צריך גופן עם אותיות עבריות, ולא נמצא כזה: יש להגדיר report_font לקובץ TrueType (docs/configuration.md).
error-report-font-unreadable = לא ניתן לקרוא את גופן הדוח כגופן TrueType.
