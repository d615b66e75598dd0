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
