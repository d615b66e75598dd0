app-name = Kehilla
skip-to-content = Skip to content
switch-lang = עברית
switch-org = Switch organization
logout = Log out
nav-label = Work areas
nav-overview = Overview
nav-plan = Plan
nav-people = People
nav-studio = Studio
nav-calendar = Calendar
nav-inbox = Inbox
nav-measure = Measure
nav-site = Site
nav-settings = Settings

## Fields
field-name = Full name
field-email = Email
field-password = Password
field-new-password = New password
field-org_name = Organization name
field-org_slug = Short name
field-role = Role
field-note = Note (e.g. who the invitation is for)
field-token-name = Token name
field-scope = Access
field-lang = Language
field-status = Status
slug-help = Lower-case Latin letters, digits and hyphens, e.g. yad-beyad. It appears in addresses.
password-help = At least 10 characters. A long sentence you remember makes a good password.

## Roles
role-owner = Owner
role-admin = Admin
role-editor = Editor
role-contributor = Contributor
role-viewer = Viewer
role-of = Role of { $name }
your-role = Your role: { $role }
members-count = { $count ->
    [one] 1 member
   *[other] { $count } members
}

## First run and login
setup-title = Set up Kehilla
setup-intro = Welcome! This is the first run. Create the first organization and its owner's account.
setup-org = The organization
setup-owner = Your account
setup-submit = Create the organization
login-title = Log in
login-submit = Log in
forgot-link = Forgot your password?
forgot-title = Reset your password
forgot-intro = Enter your account's email address and we will send it a link to choose a new password.
forgot-submit = Send the link
forgot-sent = If an account with that address exists, a reset link is on its way. The link is valid for an hour.
forgot-no-smtp = No mail server (SMTP) is configured on this server, so the link was written to the server log instead of being emailed. Ask the server's operator.
back-to-login = Back to login
reset-title = Choose a new password
reset-submit = Save the password
mail-reset-subject = Reset your Kehilla password
mail-reset-body = Hello { $name },

    You asked to reset your password. To choose a new one, open this link (valid for an hour):
    { $link }

    If you did not ask for this, you can ignore this message.

## Organizations
orgs-title = My organizations
orgs-all = All organizations
orgs-none = You are not a member of any organization yet. Create one, or ask for an invitation.
orgs-new = New organization
orgs-create = Create organization
overview-title = Overview
settings-title = Settings
settings-members-help = Who is on the team, their roles, and invitations.
settings-tokens-help = Keys for the API, to connect other systems.
settings-audit-help = Logins, role changes and access.
settings-jobs-help = Background work and jobs that failed.
leave-org = Leave the organization
leave-confirm = Leave this organization? You will lose access to it.

## Areas
area-plan-summary = Goals, audiences and the channel map.
area-people-summary = People, lists, consent and forms.
area-studio-summary = Write once, publish on every network.
area-calendar-summary = The schedule of posts.
area-inbox-summary = Every comment and mention in one place.
area-measure-summary = Progress against your goals.
area-site-summary = Your own site: the home of everything you publish.

## Members
members-title = Team members
invite-title = Invite a team member
invite-create = Create an invitation link
invite-link = Invitation link
invite-link-ready = The invitation link is ready. Send it to the person you invite. It is shown only now and is valid for seven days.
invitations-open = Open invitations
invite-title-join = Invitation to join
invite-to = You are invited to join { $org }
invite-as = as { $role }
invite-new-account = Create an account to join.
invite-have-account = I already have an account
invite-accept = Join
expires = valid until { $when }
remove = Remove
remove-confirm = Remove { $name } from the organization?
revoke = Revoke
revoked = Revoked
save = Save
copy = Copy
actions = Actions

## API tokens
tokens-title = API tokens
tokens-intro = An API token lets another program act for you in this organization only, with at most the permissions of your role.
token-create = Create token
token-created-once = The token was created. Copy it now: it will not be shown again.
token-secret = The new token
scope-read = Read only
scope-write = Read and write
revoke-confirm = Revoke this token? Programs that use it will stop working.
created = Created
last-used = Last used

## Audit log
audit-title = Security log
audit-empty = No events yet.
when = When
who = Who
what = What
detail = Details
ip = IP address
older = Older
audit-login = Login
audit-login-failed = Failed login
audit-logout = Logout
audit-password-reset-requested = Password reset requested
audit-password-changed = Password changed
audit-org-created = Organization created
audit-invitation-created = Invitation created
audit-invitation-revoked = Invitation revoked
audit-member-joined = Joined the organization
audit-role-changed = Role changed
audit-member-removed = Removed from the organization
audit-token-created = API token created
audit-token-revoked = API token revoked
audit-job-retried = Job sent back to the queue
audit-export = Data export

## Jobs
jobs-title = Background jobs
jobs-intro = Work the server does in the background (publishing, sending, collecting figures). A job that failed again and again stops here until you send it back to the queue.
jobs-filter = Filter by status
jobs-empty = No jobs in this status.
job-status-dead = Failed
job-status-queued = Waiting
job-status-running = Running
job-status-done = Done
job-kind = Kind
job-attempts = Attempts
job-run-at = Due
job-last-error = Last error
job-retry = Retry

## Confirmations
done-org-created = The organization was created.
done-joined = You joined the organization. Welcome!
done-role-changed = The role was updated.
done-member-removed = The member was removed.
done-invitation-revoked = The invitation was revoked.
done-token-revoked = The token was revoked.
done-job-retried = The job is back in the queue.
done-logged-out = You are logged out.
done-password-changed = Your password was changed. Log in with the new one.

## Errors
error-title = Something went wrong
error-home = Go to the home page
error-internal = The server had an error. Try again in a moment; if it keeps happening, tell the operator.
error-not-found = The page or item was not found, or you have no access to it.
error-forbidden = You do not have permission to do this.
error-unauthorized = You need to log in to continue.
error-bad-credentials = The email address or password is wrong.
error-rate-limited = Too many attempts. Try again in a few minutes.
error-already-set-up = The first-run setup has already been done.
error-invitation-invalid = This invitation is not valid: it may have been used, revoked, or have expired.
error-reset-invalid = This password reset link is not valid: it may have been used or have expired.
error-mail-failed = We could not send the email. Try again later.
error-email-taken = An account with this email address already exists.
error-slug-taken = This short name is taken. Choose another.
error-already-member = Already a member of this organization.
error-last-owner = An organization must keep at least one owner.
error-conflict = This clashes with another change. Reload and try again.
error-csrf = The form expired or was sent from another site. Reload the page and try again.
error-too-large = The request is too large.
error-bad-request = The request is not valid: fields are missing or in the wrong format.
error-method-not-allowed = This action is not supported at this address.
error-unsupported-media-type = The request's content type is not supported.
error-invalid-input = One of the values is not valid.
error-input-required = Required.
error-input-too-long = Too long.
error-input-invalid-email = Not a valid email address.
error-input-password-too-short = The password is too short: at least 10 characters.
error-input-password-too-long = The password is too long.
error-input-invalid-slug = Not a valid short name: 2–40 lower-case Latin letters, digits and hyphens.
error-input-invalid-role = Unknown role.
error-input-invalid-language = Unsupported language.

## People
people-sections = People sections
people-search = Search
people-search-hint = Name, email, phone or tag
people-count = { $count ->
    [one] 1 person
   *[other] { $count } people
}
people-none = No people found.
newer = Newer
person-new = New person
person-edit = Edit details
person-title = Person
person-details = Details
field-first_name = First name
field-last_name = Last name
field-latin_name = Name in Latin letters
field-phone = Phone
field-notes = Notes
field-roles = Roles
field-tags = Tags
field-fields = More fields
field-title = Title
field-kind = Kind
field-consent = Consent
field-wording = Wording
field-key = Key
field-label = Label
field-field_type = Field type
field-choices = Choices
field-basis = Basis of consent
field-redirect_url = Redirect address
field-channel = Channel
field-purpose = Purpose
field-contact = Contact details
field-legal_name = Legal name
phone-help = An Israeli number (050-2345678) or an international one (+44…).
tags-help = Separated by commas.
person-role-donor = Donor
person-role-volunteer = Volunteer
person-role-activist = Activist
person-role-partner = Partner
person-role-beneficiary = Beneficiary
person-role-press = Press
person-role-public = Public
add = Add
create = Create
add-to-list = Add to list
consent-title = Consent
consent-none = No consent recorded yet.
consent-history = Consent history
consent-channel = Channel
consent-purpose = Purpose
consent-state = State
consent-since = Since
consent-source = Source
consent-wording = Wording shown
consent-wording-staff = How it was given (e.g. on the phone with Dana)
consent-given = Given
consent-withdrawn = Withdrawn
consent-record = Record a consent or a refusal
consent-save = Record in the ledger
prefs-link = Personal link to update preferences:
timeline-title = Timeline
privacy-title = Privacy
person-export = Download all data about this person (JSON)
person-erase = Erase this person
erase-confirm = Erase all personal data for good? Their refusal is kept as a hashed record, so that an import cannot add them again.
erase-help = Personal data is removed; only a hash of the address is kept next to the refusal.
channel-email = Email
channel-sms = SMS
channel-whatsapp = WhatsApp
purpose-newsletter = Newsletter and updates
purpose-donation_appeals = Donation appeals
purpose-advocacy = Campaigns and advocacy
purpose-event_reminders = Event reminders
purpose-transactional = Service messages
source-form = Form
source-import = Import
source-staff = Staff
source-reply = Reply
source-preference-centre = Preference centre
source-unsubscribe = One-click unsubscribe
source-erasure = Erasure
event-created = Created
event-updated = Updated
event-signed-up = Signed up
event-imported = Imported
event-consent-given = Gave consent
event-consent-withdrawn = Withdrew consent
event-added-to-list = Added to a list
event-removed-from-list = Removed from a list

## Lists and segments
lists-title = Lists and segments
lists-static = Lists
lists-none = No lists yet.
list-new = New list
list-delete = Delete the list
list-delete-confirm = Delete this list? The people stay.
export-csv = Export to CSV
segments-title = Segments
segments-intro = A segment is a group that keeps itself up to date by conditions: role, tag, consent, list, activity.
segments-none = No segments yet.
segment-new = New segment
segment-title = Segment
field-segment-name = Segment name
segment-combine = People who…
segment-all = match every condition
segment-any = match at least one condition
segment-condition = Condition
segment-not = not
segment-choose = Choose a condition
segment-field-or-event = Field or activity
segment-compare = Comparison
segment-value = Value
segment-value-hint = Value (or number of days)
segment-size = { $count ->
    [one] 1 person in this segment
   *[other] { $count } people in this segment
}
segment-delete = Delete the segment
segment-delete-confirm = Delete this segment?
cond-role = Role
cond-tag = Tag
cond-list = Member of list
cond-consent = Consent state
cond-reachable = May be contacted
cond-field = Custom field
cond-added_within = Added in the last N days
cond-event = Activity in the last N days
cond-lang = Language
cond-has_email = Has email
cond-has_phone = Has phone
state-given = given
state-withdrawn = withdrawn
state-unknown = never asked
cmp-eq = equals
cmp-ne = differs from
cmp-contains = contains
cmp-gt = greater than / after
cmp-lt = less than / before

## Forms
forms-title = Forms
forms-intro = Sign-up forms for the newsletter, volunteering and petitions: on a page of their own, or embedded in your site.
forms-none = No forms yet.
form-new = New form
form-edit = Edit form
form-open = Open
form-kind = Kind of form
form-kind-newsletter = Newsletter sign-up
form-kind-volunteer = Volunteer sign-up
form-kind-petition = Petition / pledge
form-title-field = Title
form-intro-field = Introduction
form-ask-phone = Ask for a phone number
form-double-opt-in = Double opt-in by email (recommended)
form-list = Add to list
form-consents = Consent boxes
form-consents-help = Each box records consent to a channel and purpose, with the exact wording shown here.
form-consent-required = Must be ticked
form-thanks = Thank-you message
form-redirect = Or redirect to address
form-share = Share and embed
form-hosted = Form page:
form-embed-iframe = Embed with an iframe
form-embed-html = A plain HTML form for your site
form-delete = Delete the form
form-delete-confirm = Delete this form? Links to it will stop working.
form-submit = Sign up
form-thanks-default = Thank you! You are signed up.
form-check-email = Almost done: we sent you an email with a link to confirm. The link is valid for 48 hours.
form-resend = Send the link again
form-confirm-question = Press the button to confirm your sign-up.
form-confirm-button = Confirm my sign-up
form-confirmed = Thank you! Your sign-up is confirmed.
form-confirm-title = Confirm sign-up
form-link-invalid = This link is not valid.
form-link-expired = This link has expired. You can sign up again with the form.
form-consent-newsletter = I agree to receive email updates and the newsletter from the organization.
form-consent-sms-reminders = I agree to receive shift and event reminders by SMS.
form-consent-advocacy = I agree to receive email updates about the campaign and follow-up actions.
mail-confirm-subject = Confirm your sign-up – { $org }
mail-confirm-body = Hello,

    We received your sign-up to { $form } of { $org }.
    To confirm, open this link (valid for { $hours } hours):
    { $link }

    If you did not sign up, ignore this message and we will not write to you.
prefs-title = My mailing preferences
prefs-email = What to send me by email
prefs-saved = Your preferences are saved.
unsubscribe-all = Unsubscribe from all mailings
unsubscribe-title = Unsubscribe
unsubscribe-question = Stop sending you email (except service messages)?
unsubscribe-button = Unsubscribe me
unsubscribe-done = You are unsubscribed. We will send you no more email, except necessary service messages.

## Import
import-title = Import
import-intro = Upload a CSV or Excel (.xlsx) file. Hebrew files in any common encoding work (UTF-8, Windows-1255).
import-file = File
import-file-help = Up to { $mb } MB.
import-upload = Upload
import-recent = Recent imports
import-rows = { $rows } rows
import-encoding = Encoding: { $encoding }
import-mapping = Column mapping
import-mapping-help = We guessed what each column holds from its header. Check and correct before importing.
import-column-of = What column { $name } holds
import-skip = Do not import
import-consent = Consent
import-consent-help = If the people in the file agreed to receive mailings, say for which channel and purpose and on what basis. Each consent is recorded in the ledger with this import as its source.
import-no-consent = No consent
import-basis = Basis of consent
import-basis-hint = e.g. signed up at our stand at the community fair, March 2026
import-start = Start the import
import-progress = Progress
import-created = Added
import-updated = Updated
import-errors = Rows not imported
import-report = Problem report
import-report-download = Download the report (CSV)
import-col-row = Row
import-col-column = Column
import-col-reason = Reason
import-col-value = Value
import-status-uploaded = Waiting for mapping
import-status-queued = Queued
import-status-running = Running
import-status-done = Done
import-status-failed = Failed
import-reason-bad-email = Bad email
import-reason-bad-phone = Bad phone
import-reason-duplicate = Duplicate in the file
import-reason-duplicate-phone = Phone already on another row
import-reason-missing-required = No email or phone
import-reason-bad-consent = Consent value not understood
import-reason-erased-refused = Erased earlier after refusing; not added again
import-reason-extra-cells = More cells than headers
column-first_name = First name
column-last_name = Last name
column-full_name = Full name
column-email = Email
column-phone = Phone
column-language = Language
column-roles = Roles
column-tags = Tags
column-notes = Notes
column-consent = Consent (yes/no)

## People settings
people-settings-title = People settings
settings-people-help = Roles, custom fields and legal status.
settings-law = Mailing and the law
settings-nonprofit = Registered nonprofit (amuta) or public-benefit company
settings-nonprofit-help = A registered nonprofit may email donation appeals and advocacy to anyone who has not refused (section 30A(b1)). SMS always needs explicit consent.
settings-legal-name = Legal name (for mailing footers)
settings-contact = Contact details (address, phone)
settings-roles = Roles of people
settings-role-key = Key
settings-role-label = Display name
settings-fields = Custom fields
settings-field-key = Key (Latin letters)
settings-field-label = Display name
settings-field-type = Type
settings-field-choices = Choices (comma-separated, for a choice field)
field-type-text = Text
field-type-number = Number
field-type-date = Date
field-type-choice = Choice
done-person-saved = The details were saved.
done-person-erased = The person was erased.
done-consent-recorded = Recorded in the consent ledger.
done-list-updated = The lists were updated.
done-list-created = The list was created.
done-list-deleted = The list was deleted.
done-segment-saved = The segment was saved.
done-segment-deleted = The segment was deleted.
done-form-saved = The form was saved.
done-form-deleted = The form was deleted.
done-import-started = The import has started.
done-settings-saved = The settings were saved.
audit-settings-changed = Settings changed
audit-erasure = Person erased
error-input-invalid-phone = Not a valid phone number.
error-input-invalid-value = Not a valid value.
error-person-exists = Someone with this email or phone already exists.
error-field-exists = A field with this key already exists.
error-segment-too-large = The segment is too complex: at most 40 conditions.
error-segment-unknown-channel = Unknown channel.
error-segment-unknown-purpose = Unknown purpose.
error-segment-bad-value = A value of the segment is not valid (number of days, number or date).
error-confirmation-expired = The link has expired.
error-import-too-large = The file is too large.
error-import-not-csv = The file is not valid CSV.
error-import-not-text = This is not a text or Excel file.
error-import-bad-xlsx = We could not read the Excel file.
error-import-empty = The file is empty.
error-import-needs-email-or-phone = Choose an email or phone column.
error-import-started = The import has already started.

## Studio
studio-title = Studio
studio-sections = Studio sections
studio-new = New post
studio-edit = Edit post
studio-no-time = no time yet
studio-no-channels = No channels yet. Add the organization's accounts (X, Facebook, Instagram…) to write for them.
studio-waiting-review = Waiting for approval
studio-mine = My drafts and submissions
studio-upcoming = Scheduled
studio-drafts = Drafts
studio-nothing = Nothing here.
studio-derived-outlet = In the press
studio-settings = Studio settings
notifications-title = Notifications
notifications-none = No notifications.
notifications-unread = { $count ->
    [one] One new notification
   *[other] { $count } new notifications
}
cadence-title = Cadence
cadence-none = No channel has a cadence target yet. Set one on the Channels page.
cadence-never = { $channel }: nothing published yet
cadence-overdue = { $channel } not updated for { $days } days
cadence-due = { $channel }: due now (last post { $days } days ago)
cadence-ok = { $channel }: last post { $days } days ago
cadence-target = { $count ->
    [one] target: every day
   *[other] target: every { $count } days
}
cadence-next = next:
post-kind-story = Story
post-kind-album = Photo album
post-kind-video = Video
post-kind-event = Event
post-kind-achievement = Achievement
post-kind-volunteers = Call for volunteers
post-kind-donation = Donation appeal
post-kind-press = Press mention
post-kind-question = Discussion question
post-kind-status = Status update
post-status-draft = Draft
post-status-review = In review
post-status-changes = Changes requested
post-status-approved = Approved
post-status-scheduled = Scheduled
post-status-published = Published
post-status-failed = Failed
network-x = X
network-bluesky = Bluesky
network-mastodon = Mastodon
network-threads = Threads
network-instagram = Instagram
network-facebook = Facebook
network-linkedin = LinkedIn
network-telegram = Telegram
network-sms = SMS
composer-master = Master text
composer-kind = Content type
composer-title = Title (internal, and the campaign name of tracked links)
composer-body = Text
composer-details = Event, link and press details
composer-event-start = Event starts
composer-place = Place
composer-url = Link (sign-up, donation, article)
composer-outlet = Outlet
composer-channels = Channels
composer-media = Media from the library
composer-planned = Planned time
composer-save = Save
composer-attached = Attached media
composer-variants = Per channel
composer-no-variants = Choose channels and save to get a version for each.
variant-edited = edited on its own
variant-follows = follows the master text
variant-text = Text for this channel
variant-thread = Thread: further posts
variant-first-comment = First comment
variant-parts-hint = (separate parts with a line of ---)
variant-save = Save this version
variant-follow = Follow the master text again
counter-ok = { $used } / { $limit } { $unit }
counter-over = Too long by { $over } ({ $used } / { $limit } { $unit })
unit-weighted = weighted characters
unit-graphemes = characters
unit-bytes = bytes
unit-utf16 = UTF-16 units
unit-characters = characters
unit-septets = septets
unit-segments = SMS parts
problem-too-long = The text is too long for this network.
problem-too-many-bytes = The text is too long in bytes for this network.
problem-invalid-character = The text contains characters this network refuses.
problem-too-many-links = Too many links for this network.
problem-too-many-hashtags = Too many hashtags for this network.
problem-too-many-mentions = Too many mentions for this network.
problem-empty = The text is empty.
problem-too-many-media = Too many images or videos for this network.
problem-media-required = This network needs an image or a video.
problem-alt-missing = An image has no alt text; this network shows alt text to people who cannot see images.
preview-loading = Preview…
preview-follow-up = Continues:
card-error-net-blocked = No link preview: the address is not public.
card-error-net-timeout = No link preview: the page did not answer in time.
card-error-net-too-large = No link preview: the page is too large.
card-error-net-not-html = No link preview: the address is not a web page.
card-error-net-too-many-redirects = No link preview: the page redirects too many times.
card-error-net-status = No link preview: the page answered with an error.
card-error-net-invalid-url = No link preview: the address is not valid.
card-error-net-dns = No link preview: the address's host was not found.
card-error-net-connect = No link preview: the page could not be reached.
card-error-net-http = No link preview: the page could not be read.
card-error-net-client = No link preview.
workflow-title = Approval and schedule
workflow-needs-approval = This post needs an editor's approval before it is scheduled.
workflow-no-approval = This post needs no approval: it can be scheduled directly.
action-submit = Send for approval
action-ready = Mark as ready
action-note = Note for the author (required when asking for changes)
action-approve = Approve
action-changes = Ask for changes
action-schedule-at = Publish at
action-schedule = Schedule
action-unschedule = Take off the schedule
action-track-links = Shorten and track links
action-delete = Delete post
action-delete-confirm = Delete this post and its history?
next-free-slot = Next free slot
history-title = History and comments
history-created = Created
history-edited = Edited
history-variant-edited = Channel version edited
history-submitted = Sent for approval
history-approved = Approved
history-changes-requested = Changes requested
history-scheduled = Scheduled
history-unscheduled = Taken off the schedule
history-moved = Moved
history-published = Published
history-failed = Publishing failed
history-comment = Comment
history-links-tracked = Links shortened and tracked
comment-label = Comment
comment-add = Add comment
media-title = Media
media-upload-label = Image or video
media-upload = Upload
media-alt = Alt text (what the image shows)
media-keep-metadata = Keep the file's metadata (EXIF, GPS location)
media-metadata-note = By default we remove metadata such as the camera's GPS location, so that a photo cannot reveal where someone lives.
media-metadata-removed = Metadata removed
media-location-removed = Metadata removed, including a GPS location
media-metadata-kept = Metadata kept (may include a location)
media-alt-missing = No alt text yet
media-none = No media yet.
media-delete = Delete
media-delete-confirm = Delete this file? Posts that use it lose it.
media-max-mb = { $count ->
    [one] up to 1 MB
   *[other] up to { $count } MB
}
links-title = Short links
links-intro = Tracked short links redirect through this server and count people's clicks (not bots), without storing IP addresses.
links-url = Address
links-source = Source (utm_source)
links-campaign = Campaign (utm_campaign)
links-create = Make short link
links-none = No short links yet.
links-short = Short link
links-target = Target
links-network = Network
links-post = Post
links-clicks = Clicks
links-created = Created
channels-title = Channels
channels-intro = The organization's accounts on each network, with a cadence target and posting slots.
channels-add = Add channel
channels-network = Network
channels-name = Name
channels-handle = Account (handle)
channels-purpose = Purpose
channels-audience = Audience
channels-cadence = Cadence target: a post at least every … days
channels-slots = Posting times (HH:MM, comma-separated)
channels-slot-days = Posting days
channels-char-limit = Server's character limit (Mastodon)
channels-requires-approval = Every post here needs approval, whoever writes it
channels-delete = Delete channel
channels-delete-confirm = Delete this channel? Its versions of posts are deleted too.
settings-time-zone = Time zone
settings-approval = Contributors' posts need an editor's approval
settings-quiet-shabbat = Publish nothing on Shabbat
settings-quiet-holidays = Publish nothing on holidays (Rosh Hashana, Yom Kippur, Sukkot, Pesach, Shavuot)
calendar-views = Calendar views
calendar-month = Month
calendar-week = Week
calendar-list = List
calendar-prev = Previous
calendar-next = Next
calendar-today = Today
calendar-week-of = Week of { $date }
calendar-channel = Channel
calendar-kind = Type
calendar-status = Status
calendar-author = Author
calendar-all = All
calendar-filter = Filter
calendar-tz = Times in
calendar-quiet-on = quiet windows on
calendar-drag-hint = drag a post to another day to move it
calendar-shabbat = Shabbat
calendar-add = New post on
weekday-0 = Sunday
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
holiday-rosh-hashana-1 = Rosh Hashana
holiday-rosh-hashana-2 = Rosh Hashana (2nd day)
holiday-yom-kippur = Yom Kippur
holiday-sukkot = Sukkot
holiday-shemini-atzeret = Shemini Atzeret / Simchat Torah
holiday-pesach-1 = Pesach
holiday-pesach-7 = Pesach (7th day)
holiday-shavuot = Shavuot
holiday-hanukkah-1 = Hanukkah
holiday-purim = Purim
holiday-yom-hashoah = Holocaust Remembrance Day
holiday-yom-hazikaron = Memorial Day
holiday-yom-haatzmaut = Independence Day
holiday-yom-yerushalayim = Jerusalem Day
holiday-tisha-bav = Tisha B'Av
notify-review-requested-subject = { $actor } asks you to approve "{ $post }"
notify-review-requested-body = { $actor } sent a post of { $org } for approval: "{ $post }".
notify-approved-subject = { $actor } approved "{ $post }"
notify-approved-body = { $actor } approved your post "{ $post }" in { $org }.
notify-changes-requested-subject = { $actor } asks for changes to "{ $post }"
notify-changes-requested-body = { $actor } asks for changes to your post "{ $post }" in { $org }:
notify-comment-subject = { $actor } commented on "{ $post }"
notify-comment-body = { $actor } commented on "{ $post }" in { $org }:
done-post-created = The post was created. Now adjust the version for each channel.
done-post-saved = The post was saved.
done-variant-saved = This channel's version was saved.
done-variant-follows = This channel's version follows the master text again.
done-post-submitted = The post was sent on.
done-post-approved = The post was approved.
done-post-changes = The author was asked for changes.
done-post-scheduled = The post is scheduled.
done-post-unscheduled = The post was taken off the schedule.
done-post-moved = The post was moved.
done-post-deleted = The post was deleted.
done-comment-added = The comment was added.
done-links-tracked = The links were replaced with tracked short links.
done-media-uploaded = The file was uploaded.
done-media-uploaded-location-removed = The file was uploaded. It carried a GPS location, which was removed.
done-media-deleted = The file was deleted.
done-alt-saved = The alt text was saved.
done-link-created = The short link was made.
done-channel-saved = The channel was saved.
done-channel-deleted = The channel was deleted.
done-studio-settings-saved = The Studio settings were saved.
error-post-wrong-status = The post is not in a state that allows this (someone may have acted on it first). Reload the page.
error-post-needs-approval = This post must be approved before it is scheduled.
error-post-has-problems = A channel's version has problems (see the red notes). Fix them before scheduling.
error-approve-own-post = You cannot approve your own post; another editor must.
error-time-skipped = That time does not exist on that day: the clocks move forward then. Choose another time.
error-time-in-past = That time has passed. Choose a time in the future.
error-post-has-no-time = This post has no planned time yet. Choose when to publish it.
error-quiet-window = That time falls in a quiet window (Shabbat or a holiday) in which nothing is published.
error-media-too-large = The file is too large.
error-media-too-many-pixels = The image has too many pixels (at most 50 megapixels, 12,000 on a side).
error-media-unsupported = This file type is not supported. Use JPEG, PNG, WebP or GIF images, or MP4, MOV or WebM video.
error-media-corrupt = The file is damaged or incomplete.
error-media-encode = We could not convert the image.
error-media-empty = No file was chosen, or it is empty.
error-media = The file cannot be used.
settings-link-host = Host of the organization's short links (optional)
settings-link-host-hint = A name such as go.example.org that points at this server (a DNS CNAME). Empty: short links use this server's address.
connection-title = Connection
connection-connected = Connected as
connection-last-success = last published
connection-needs-reconnect = needs connecting again
connection-last-error = Last error:
connection-none = Not connected: scheduled posts for this channel will fail. Connect it below.
connection-not-yet = Publishing to this network is not available yet.
connection-server = Server address
connection-token = Access token
connection-token-hint = On Mastodon: Preferences → Development → New application, with the scopes read and write:statuses write:media; copy "Your access token". It is kept encrypted.
connection-connect = Connect
connection-disconnect = Disconnect
connection-disconnect-confirm = Disconnect this channel? Scheduled posts for it will fail until it is connected again.
done-channel-connected = The channel is connected.
done-channel-disconnected = The channel was disconnected.
error-connection-refused = The server refused the address or the token. Check both and try again.
error-network-not-supported = Publishing to this network is not available yet.
publication-pending = Waiting to be published
publication-sending = Being published
publication-published = Published
publication-failed = Not published
publication-unknown = Unknown: the network did not confirm; check the channel before publishing again
error-publish-retry = the network had a passing problem; trying again
error-publish-rate-limited = the network asked to wait (rate limit); trying again later
error-publish-reconnect = connect the channel again (the token is invalid, expired or missing)
error-publish-rejected = the network refused the post
error-publish-unknown = the outcome is unknown
connection-chat = Channel (@name or numeric id)
connection-bot-token = Bot token
connection-bot-hint = Create a bot with @BotFather, make it an administrator of the channel with the right to post, and paste its token. It is kept encrypted.
risk-title = Scheduled posts that will not go out
risk-not-connected = not connected
risk-reconnect = needs connecting again
risk-not-available = publishing to this network is not available yet
risk-posts = { $count ->
    [one] one scheduled post
   *[other] { $count } scheduled posts
}
connection-pds = Account server (PDS)
connection-bluesky-handle = Handle
connection-app-password = App password
connection-bluesky-hint = On Bluesky: Settings → Privacy and security → App passwords → Add. Do not use the main password. It is kept encrypted. On a self-hosted server, give its address.
connection-x-token = User access token (OAuth 2.0)
connection-x-hint = A user access token of the organization's X account with the scopes tweet.read tweet.write users.read media.write. It is kept encrypted. (Signing in with X from here comes with the network connections.)
connection-linkedin-page = Page (urn:li:organization:…)
connection-linkedin-hint = An access token of a page administrator with the scope w_organization_social. It is kept encrypted.
connection-instagram-hint = A long-lived Instagram user token (Instagram Login) of the professional account, with instagram_business_basic and instagram_business_content_publish. Instagram fetches pictures from this server's public address, so the server must be reachable from the internet. It is kept encrypted.
connection-facebook-page = Page id
connection-facebook-token = Page access token
connection-facebook-hint = A Page token (from a long-lived user token, with pages_manage_posts and pages_read_engagement). Facebook fetches pictures from this server's public address. It is kept encrypted.
connection-threads-hint = A long-lived Threads user token with threads_basic and threads_content_publish. Threads fetches pictures from this server's public address. It is kept encrypted.
connection-sign-in = Sign in with the server
connection-or-token = Or connect with an access token:
error-sign-in-expired = This sign-in has expired or was already used. Start again from the channel.
error-sign-in-declined = The network did not give access. Start again from the channel if you want to connect it.

# Channel health and signing in with the networks
health-title = Channel health
health-intro = For each channel: the connected account, when its token expires, the last successful post, the last error, whether the network asked us to wait, and how many posts are scheduled to it in the coming week.
health-none = No channels yet.
health-channel = Channel
health-state = State
health-account = Account
health-token = Token
health-last-success = Last successful post
health-last-error = Last error
health-scheduled = Scheduled this week
health-action = Action
health-state-ok = Healthy
health-state-reconnect = Needs connecting again
health-state-paused = Waiting for the network
health-state-expiring = Token expires soon
health-state-none = Not connected
health-state-unavailable = Publishing to this network is not available yet
health-paused-until = until
health-no-expiry = Does not expire
health-expired = Expired
health-renewed-automatically = Renewed automatically
health-reconnect = Connect again
health-expires-days = { $count ->
    [one] Expires in one day
   *[other] Expires in { $count } days
}
health-expires-hours = { $count ->
    [one] Expires in one hour
   *[other] Expires in { $count } hours
}
health-expires-minutes = { $count ->
    [one] Expires in one minute
   *[other] Expires in { $count } minutes
}
connection-sign-in-with = Sign in with
error-oauth-app-missing = This server has no app registered with that network; the server's operator sets it up (oauth_apps). Meanwhile you can connect with a token.
error-choose-page = The account manages several pages. Write the page's id or name in the channel's "Account (handle)" field and try again.
error-no-page = No page managed by this account was found. Check that you are an admin of the page and allowed access to it.
error-publish-unsupported = The network does not allow this
notify-channel-at-risk-subject = Scheduled posts may fail: a channel needs connecting again ({ $org })
notify-channel-at-risk-body = A channel of { $org } needs connecting again, or its token expires before the posts scheduled to it (the first: "{ $post }"). Connect it again on the channels page so that they go out.

# Removing a post from a network
remove-from-network = Remove from the network
remove-network-confirm = Remove the post from the network? It will be deleted there (with its replies); it stays here.
publication-deleting = Being removed from the network
publication-deleted = Removed from the network
history-removal-requested = Removal from the network requested
history-removed = Removed from the network
done-removal-requested = The post will be removed from the network in a moment.
error-network-cannot-delete = This network does not let apps delete posts; delete it in the network's own app.
error-publication-not-published = The post is not published on this channel.

# The organization's profile on the networks
profile-title = Profile on the networks
profile-intro = The organization's description, website and logo, as they will appear on its accounts on the networks that let them be updated from here (Mastodon, Bluesky, Telegram, Facebook).
profile-description = Short description
profile-website = Website
profile-logo = Logo (from the media library)
profile-no-logo = No logo
profile-push = Update the profile on the networks
profile-push-confirm = Update the profile on every connected channel that allows it? It replaces what is there now.
profile-push-hint = On Bluesky and Telegram the description holds about 255 characters.
done-profile-saved = The profile is saved.
done-profile-pushing = The profile is being updated on the networks; the outcome is on the channel health page.
health-profile = Profile
health-profile-set = Updated

# A published post's figures
metric-views = Views
metric-likes = Likes
metric-replies = Replies
metric-shares = Shares
metric-quotes = Quotes
metric-saves = Saves
metric-clicks = Clicks
demo-network-note = This is Kehilla's built-in demo network: the post was "published" here only, and nothing was sent to a real network. The figures and replies are examples.
demo-network-comments = Replies

# Email campaigns
campaigns-title = Campaigns
campaigns-intro = Email to the community: written in Markdown with personalization, sent only to people who agreed to their purpose.
campaigns-none = No campaigns yet.
campaign-new = New campaign
campaign-edit = Edit campaign
campaign-status-draft = Draft
campaign-name = Name (internal)
campaign-purpose = Purpose (the consent it needs)
campaign-audience = Audience
campaign-everyone = Everyone
campaign-lang = Language
campaign-advertising = This is advertising (adds "פרסומת" to the subject, and the organization's details and an unsubscribe link to the footer)
campaign-subject = Subject
campaign-body = Content
campaign-body-hint = Markdown: **bold**, [link](https://…), lists with "-". Personalization: {"{{"} person.first_name | default("friend") {"}}"}.
campaign-preview = Preview
campaign-preview-as = Preview as
campaign-sample-person = A sample person
campaign-show = Show
done-campaign-saved = The campaign is saved.
gate-title = Who will get it
gate-eligible = { $count ->
    [one] One person will get it
   *[other] { $count } people will get it
}
gate-of-audience = { $count ->
    [one] of one person in the audience
   *[other] of { $count } in the audience
}
gate-no-address = No email address
gate-withdrawn = Withdrew their consent
gate-no-consent = Gave no consent for this purpose
error-template-unknown-variable = The template uses a variable that does not exist (e.g. person.nickname). Use person.first_name, person.last_name, person.email, org.name, or add | default("…").
error-template-syntax = Syntax error in the template; check the {"{{"} {"}}"} and {"{%"} {"%}"} brackets.
error-template-too-long = The template takes too long to compute (a loop too large).
error-template-error = The template cannot be rendered.
error-campaign-legal-missing = An advertising message must carry the organization's registered name, contact details and an unsubscribe link; fill them in the organization's settings.
error-campaign-not-draft = The campaign has been sent and cannot be edited.
campaign-test = Send me a test
campaign-test-hint = Goes to your own address as the chosen person would get it, with "[Test]" in the subject.
done-campaign-test-sent = The test message is on its way to your inbox.

## Campaign delivery
campaign-status-scheduled = Scheduled
campaign-status-sending = Sending
campaign-status-paused = Paused
campaign-status-cancelled = Cancelled
campaign-status-sent = Sent
campaign-progress = Sending progress
figure-sent = Sent
figure-delivered = Delivered
figure-bounced = Bounced
figure-deferred = Waiting for another try
figure-failed = Failed
figure-clicked = Clicked a link
figure-unsubscribed = Unsubscribed
figure-complaints = Complaints
figure-opened = Opened
campaign-pause = Pause
campaign-resume = Resume sending
campaign-cancel = Cancel sending
campaign-cancel-confirm = Cancel sending? Whoever has not had the message yet will not get it.
campaign-send-title = Send
campaign-sink = No outgoing mail server is set: messages go to the server's built-in sink (demo mode) and do not leave it.
campaign-send-confirm = { $count ->
    [one] Send the campaign to one person?
   *[other] Send the campaign to { $count } people?
}
campaign-when = When
campaign-now = Now
campaign-later = At a scheduled time
campaign-open-tracking = Count opens
campaign-open-tracking-hint = Off by default: a tiny image in the message tells the sender when it was read. No IP addresses are kept.
campaign-send = Send
done-campaign-scheduled = The campaign is scheduled.
done-campaign-sending = The campaign is being sent.
done-campaign-paused = Sending is paused.
done-campaign-resumed = Sending goes on.
done-campaign-cancelled = Sending is cancelled.
error-campaign-no-recipients = No one in the audience may receive this campaign.
error-campaign-state = That cannot be done in the campaign's present state.
error-campaign-action-unknown = Unknown action.
gate-suppressed = Their address bounced or they complained — no more mail to them
sender-title = Sender and DKIM
sender-intro = Who the organization's campaigns come from, and the signing key that shows mail servers they really do.
sender-now = Messages now go out from:
sender-from-name = Sender name
sender-from-address = Sender address
sender-reply-to = Reply-to address
done-sender-saved = The sender is saved.
dkim-title = DKIM signature
dkim-intro = Kehilla makes a 2048-bit RSA key and keeps its private half encrypted. Publish the record below in the domain's DNS; from then on every message is signed.
dkim-record = The record to publish in DNS (TXT)
dkim-record-name = Name
dkim-record-value = Value
dkim-domain = Domain
dkim-selector = Selector
dkim-generate = Make a key
dkim-replace-confirm = Make a new key? The old key stops signing at once; publish the new record (or choose a new selector).
done-dkim-generated = A DKIM key is made. Publish the record in DNS.
field-account = Account ID (Account SID)
field-secret = Access token
field-sender = Sender
field-url = Gateway address
field-cost_per_segment = Price per segment
field-from_name = Sender name
field-from_address = Sender address
field-reply_to = Reply-to address
field-dkim_domain = Domain
field-dkim_selector = Selector
field-scheduled_at = Time
field-body = Content
field-subject = Subject
campaign-channel = Channel
sms-segments = Segments
sms-cost = Estimated cost
sms-counter = { $segments } segments · { $encoding } ({ $units }/{ $per }) · estimated cost ₪{ $cost }
error-sms-no-gateway = The organization has no SMS gateway. Set one on the "Sender and DKIM" page.
sms-gateway-title = SMS gateway
sms-gateway-intro = Twilio, or a local provider's HTTP gateway. Replies "הסר" or STOP withdraw SMS consent at once; delivery receipts update each message.
sms-gateway-kind = Kind
sms-gateway-http = Generic HTTP gateway
sms-gateway-account = Account ID (Twilio Account SID)
sms-gateway-secret = Access token (Auth Token / Bearer)
sms-gateway-secret-kept = Kept — leave empty to keep it
sms-gateway-sender = Sender (a number, or a name of up to 11 characters)
sms-gateway-url = Gateway address (HTTP gateway)
sms-gateway-cost = Price per segment, in agorot
sms-gateway-hooks = Addresses for the gateway
sms-gateway-hook-inbound = Incoming replies
sms-gateway-hook-status = Delivery receipts
done-sms-gateway-saved = The SMS gateway is saved.

## Automations
automations-title = Automations
automations-intro = Sequences of messages that an event starts: joining a list or a form, an RSVP, volunteering for a shift, or half a year without a click. Each step goes after a delay, only to people who consented; whoever withdraws consent leaves the sequence.
automation-new = New automation
automation-edit = Edit automation
automation-steps = { $count ->
    [one] One step
   *[other] { $count } steps
}
automation-active = On
automation-inactive = Off
automation-people-active = { $count ->
    [one] One person in the sequence
   *[other] { $count } people in the sequence
}
automation-people-done = { $count ->
    [one] One finished
   *[other] { $count } finished
}
automation-people-left = { $count ->
    [one] One left
   *[other] { $count } left
}
automation-turn-on = Turn on
automation-turn-off = Turn off
automation-on-confirm = Turn the automation on? Whoever meets its condition from now on gets the messages (earlier events do not start it).
automation-trigger = What starts the sequence
automation-trigger-ref = Only for the form or list named (empty: all)
automation-step = Step
automation-delay-first = Hours after the event
automation-delay = Hours after the previous step
automation-add-step = Fill in a subject and content to add a step.
trigger-signed-up = Signed up through a form
trigger-joined-list = Joined a list
trigger-rsvp = RSVPed to an event
trigger-shift-signup = Volunteered for a shift
trigger-no-click-180 = No click in 180 days
done-automation-saved = The automation is saved.
done-automation-on = The automation is on.
done-automation-off = The automation is off.
field-delay_hours = Delay in hours
field-trigger = What starts the sequence
field-steps = Steps
campaign-format = Editor
campaign-format-markdown = Text (Markdown)
campaign-format-blocks = Blocks
campaign-blocks = The message's blocks
block-kind = Block type
block-add = — add a block —
block-heading = Heading
block-text = Text
block-button = Button
block-image = Image
block-divider = Divider
block-url = Address (button or image)
block-alt = Image description
block-order = Position
block-remove = Remove the block
sender-brand-color = The organization's colour (headings and buttons)
error-blocks-malformed = The blocks are broken.
error-blocks-invalid = A block is missing something: a button needs text and an https address, an image an https address.
error-blocks-too-many = Too many blocks (at most 50).
error-blocks-mjml = The message could not be built from its blocks.
field-format = Editor
campaign-attachments = Attached files (from the media library)
campaign-attachments-hint = Up to 10 MB together. A large file is better as a link.
field-attachments = Attached files (up to 10 MB together)

## The organization's site
site-settings-title = Site
site-address = Your site:
site-profile-note = The name, description, website and logo come from the organization's profile.
site-profile-link = Edit the profile
site-card = Profile card
field-site_strengths = Strengths
site-strengths-help = What the organization is good at, one per line.
field-site_keywords = Keywords
site-keywords-help = Separated by commas; up to 20.
field-site_links = Links
site-links-help = One per line: a label, a vertical bar, and the address (Facebook | https://facebook.com/…).
field-site_domain = Own domain
site-domain-help = For example www.example.org. Point the domain's DNS at this server ({ $host }) and the site answers there too.
site-pages = Pages
site-no-pages = No pages yet. An "About" and a "Contact" page are a good start.
site-page-new = New page
site-page-edit = Edit page
site-page-edit-link = Edit
site-page-slug = Address (optional)
site-page-body = Text (Markdown)
site-page-position = Order in the menu
site-page-delete-confirm = Delete this page? Links to it will stop working.
done-site-saved = The site is saved.
done-site-page-saved = The page is saved.
done-site-page-deleted = The page is deleted.
error-site-domain-taken = Another organization already uses this domain.
error-site-page-slug-taken = Another page already has this address.
site-nav = Site
site-posts = Posts
site-powered = Published with Kehilla
site-default-description = News and updates from { $org }.
site-status = Now
site-strengths = What we do best
site-no-posts = Nothing published yet.
site-older = Older posts
site-event-when = When
site-event-where = Where
site-more-link = Details and sign-up
site-events = Events
site-no-events = No events yet. Write an event in the Studio (with its time and place); once published it takes RSVPs here.
event-admin-title = Event
event-going = { $count } going
event-going-of = { $count } going
event-settings = RSVP settings
field-capacity = Places
event-capacity-help = Guests included. Leave empty for no limit.
event-waitlist = When full, keep a waiting list
event-rsvp-open = Taking RSVPs
field-duration_minutes = Length (minutes)
field-online_url = Online link
event-shifts = Volunteer shifts
event-shift-delete-confirm = Remove this shift? Its sign-ups are removed with it.
field-starts_at = Starts
field-ends_at = Ends
event-rsvps = RSVPs and sign-ups
event-no-rsvps = No one yet.
event-shift = Shift
event-status = Status
event-attendance = Attendance
event-came = Came
event-absent = Did not come
event-cancel = Cancel
rsvp-status-going = Going
rsvp-status-waitlist = Waiting list
rsvp-status-cancelled = Cancelled
done-event-saved = The event is saved.
done-shift-added = The shift is added.
done-shift-deleted = The shift is removed.
done-rsvp-marked = Saved.
rsvp-title = Coming?
rsvp-online = Online link
rsvp-add-to-calendar = Add to calendar
rsvp-going = You're registered. See you there!
rsvp-waitlist = The event is full: you're on the waiting list, and we'll let you know if a place frees up.
rsvp-left = { $count } places left
rsvp-full-waitlist = The event is full; you can join the waiting list.
rsvp-full = The event is full.
rsvp-what = I'm coming to
rsvp-just-come = The event
rsvp-shift-full = full
rsvp-guests = Guests with me
rsvp-submit = Register
rsvp-closed = Registration is closed.
error-event-full = There are no places left. Choose another shift or another event.
error-event-closed = Registration for this event is closed.
event-mail-day-subject = Tomorrow: { $event }
event-mail-day-body = Hello { $name },

    A reminder: { $event } is tomorrow, { $when }, at { $place }.

    See you there,
    { $org }
event-mail-hours-subject = Soon: { $event }
event-mail-hours-body = Hello { $name },

    { $event } starts soon: { $when }, at { $place }.

    { $org }
event-mail-shift = Your shift: { $shift }.
event-mail-thanks-subject = Thank you for coming to { $event }
event-mail-thanks-body = Hello { $name },

    Thank you for coming to { $event }. It would not happen without you.

    { $org }
event-sms-day = { $org }: a reminder, { $event } is tomorrow at { $when }, { $place }.
event-sms-hours = { $org }: { $event } starts soon ({ $when }), { $place }.
pledge-title = Pledge a gift
pledge-amount = Amount (₪)
pledge-monthly-box = Every month
pledge-monthly = monthly
pledge-submit = Continue to payment
pledge-note = You pay on the organization's own payment page; Kehilla never sees your card.
call-title = Sign up to volunteer
call-open-form = Open the form on its own page
site-pledges = Pledges
site-no-pledges = No pledges yet. A published donation appeal with a payment link takes them.
site-pledge-count = { $count } pledges
comments-title = Comments
comments-title-admin = Discussions and moderation
comments-replies = Replies
comments-body = Your comment
comments-name = Your name (shown)
comments-email-help = Not shown. The first time, we send a link to confirm it.
comments-submit = Send
comment-posted-visible = Your comment is up.
comment-posted-pending = Thanks! Your comment will appear once a moderator has read it.
comment-posted-check-email = Almost there: we sent a link to your email address. Follow it, and your comment goes to the moderators.
comment-posted-verified = Your address is confirmed. Your comment will appear once a moderator has read it; later comments appear at once.
comment-verify-title = Confirm your address
comment-verify-text = Confirm that this address is yours, so your comments can appear on the site.
comment-verify-button = Confirm
comment-verify-subject = Confirm your comment on { $org }'s site
comment-verify-body = Hello,

    Someone (we hope you) commented on { $org }'s site with this address. To confirm it, open:

    { $link }

    If it was not you, ignore this message: nothing will be shown.
comments-queue = Waiting for moderation
comments-queue-empty = Nothing is waiting.
comments-approve = Approve
comments-hide = Hide
comments-ban = Ban the commenter
boards-title = Discussions
boards-none = No discussion boards yet.
boards-no-threads = No discussions here yet. Start one!
boards-new-thread = Start a discussion
boards-description = Description
done-comment-moderated = Done.
done-board-created = The board is created.
error-comment-banned = Comments from this address are not accepted.
error-board-slug-taken = A board with this name already exists.
fedi-title = Fediverse
fedi-handle = Anyone on Mastodon and the fediverse can follow
fedi-followers = { $count } followers
fedi-follow-label = Follow an account
fedi-follow = Follow
done-ap-follow-sent = The follow request was sent.
studio-on-site = On the organization's site:
studio-site-figures = Fediverse likes: { $likes }
studio-site-boosts = boosts: { $boosts }
studio-site-replies = replies: { $replies }
studio-site-comments = comments on the site: { $comments }
post-correct = Correct or withdraw on the site
post-correct-help = Changes the words on the organization's site and its fediverse account (followers see the edit). The networks keep what they published.
post-correct-save = Save the correction
post-withdraw = Withdraw from the site and the fediverse
post-withdraw-confirm = Withdraw this post from the organization's site and its fediverse account? Its address will stop working.
done-post-corrected = The correction is on the site; the fediverse follows.
done-post-withdrawn = The post is withdrawn from the site; the fediverse follows.
post-status-withdrawn = Withdrawn
history-corrected = Corrected on the site
history-withdrawn = Withdrawn from the site

## Inbox
inbox-title = Inbox
inbox-settings-title = Inbox settings
inbox-times-title = Response times
inbox-mine = Assigned to me
inbox-new-count = { $count ->
    [one] one new conversation
   *[other] { $count } new conversations
}
inbox-mine-count = { $count ->
    [one] one open for you
   *[other] { $count } open for you
}
inbox-status = Status
inbox-status-active = Not done
inbox-status-new = New
inbox-status-open = Open
inbox-status-waiting = Waiting for them
inbox-status-done = Done
inbox-status-flagged = Flagged
inbox-status-all = All
inbox-source = Source
inbox-source-any = Any source
inbox-source-site = Site
inbox-source-fediverse = Fediverse
inbox-source-email = Email
inbox-source-sms = SMS
inbox-label = Label
inbox-labels = Labels
inbox-search = Search the inbox
inbox-filter = Show
inbox-keys = Keys: j/k next and previous, Enter opens, / search; in a conversation: r answer, e done, a assign to me.
inbox-empty = Nothing here. Comments, replies and mentions arrive here from every connected channel, the site, the fediverse, email and SMS.
inbox-on-post = On:
inbox-flagged = Flagged
inbox-flag-word = Flagged: “{ $word }”
inbox-flag-links = Flagged: { $count } links
inbox-newer = Newer
inbox-older = Older
inbox-priority = Priority
inbox-priority-0 = Normal
inbox-priority-1 = High
inbox-priority-2 = Urgent
inbox-state-shown = Shown
inbox-state-hidden = Hidden
inbox-state-approval = Waiting for approval
inbox-state-queued = Sending
inbox-state-sending = Sending
inbox-state-sent = Sent
inbox-state-failed = Not sent
inbox-state-unknown = Outcome unknown: check the network
inbox-state-declined = Declined
inbox-state-deleted = Deleted
inbox-state-erased = Erased with the person's record
inbox-liked = Liked
inbox-open-on-network = Open on the network
inbox-answer-this = Answer this
inbox-like = Like
inbox-hide = Hide
inbox-delete = Delete on the network
inbox-delete-confirm = Delete this answer on the network? It stays here, marked as deleted.
inbox-approve = Approve and send
inbox-decline = Decline
inbox-answer = Answer
inbox-answer-label = Your answer (sent through the network it came from)
inbox-saved-replies = Saved replies
inbox-send = Send
inbox-triage = Triage
inbox-mark-done = Mark done
inbox-assignee = Assigned to
inbox-nobody = Nobody
inbox-person = Person
inbox-person-history = Their messages
inbox-make-person-as = Add as
inbox-make-person = Add to people
inbox-link-person = Or link to a person by email or phone
inbox-link = Link
inbox-person-no-consent = Adding a person gives no consent: they subscribe themselves.
inbox-notes = Internal notes
inbox-note-label = A note for the team (never sent)
inbox-add-note = Add note
inbox-digest = My email digest
inbox-digest-label = A daily email with what is new and open
inbox-digest-daily = Daily
inbox-digest-off = Off
inbox-saved-help = Variables: {"{{ name }}"}, {"{{ first_name }}"} and {"{{ org }}"} are filled in when a reply is used.
inbox-saved-body = Text
inbox-saved-delete-confirm = Delete this saved reply?
inbox-saved-delete = Delete
inbox-moderation = Moderation and approval
inbox-approval = Contributors' answers wait for an editor's approval
inbox-flag-words = Words that flag a message for review
inbox-hide-words = Words that hide a message (from the public too, where the network allows)
inbox-words-help = One word or phrase per line, Hebrew or English. Hebrew words also match behind ו ה ב כ ל מ ש; niqqud and final letters do not matter. Nothing is deleted: hidden messages stay here, marked.
inbox-max-links = Flag messages with more links than (0: no limit)
inbox-hooks = Webhooks
inbox-hooks-meta = Facebook, Instagram and Threads push comments to:
inbox-hooks-poll = Every connected channel is also read every five minutes (respecting the networks' limits).
inbox-telegram-connect = Receive comments and messages from Telegram
inbox-times-help = Conversations that began in the last 30 days: how soon the first answer went out, and how soon they were done.
inbox-times-by-channel = By channel
inbox-times-by-member = By member (first answer)
inbox-times-group = Channel or member
inbox-times-conversations = Conversations
inbox-times-answered = Answered
inbox-times-first = Mean first response
inbox-times-resolved = Done
inbox-times-resolution = Mean time to done
inbox-minutes = { $count ->
    [one] one minute
   *[other] { $count } minutes
}
inbox-hours = { $count ->
    [one] one hour
   *[other] { $count } hours
}
inbox-digest-subject = { $org }: { $new ->
    [one] one new conversation in the inbox
   *[other] { $new } new conversations in the inbox
}
inbox-digest-intro = The inbox of { $org }: { $new ->
    [one] one new conversation
   *[other] { $new } new conversations
}, { $mine ->
    [one] one open and assigned to you
   *[other] { $mine } open and assigned to you
}. The newest:
inbox-digest-footer = Turn this digest off: { $link }
done-inbox-answered = Your answer is on its way.
done-inbox-saved = Saved.
done-inbox-noted = Note added.
done-inbox-linked = Linked.
done-inbox-person-made = Added to people.
done-inbox-reviewed = Done.
done-inbox-acted = On its way to the network.
done-inbox-settings-saved = Settings saved.
done-inbox-saved-reply = Saved reply kept.
done-inbox-saved-reply-deleted = Saved reply deleted.
done-inbox-telegram-connected = Telegram will send comments and messages here.
error-inbox-answer-exists = This answer was already written.
error-inbox-not-waiting = This answer is not waiting for approval.
error-inbox-already-linked = This author is already linked to a person.
error-inbox-telegram-failed = Telegram did not accept the webhook. Check the bot's token and that this server is reachable over HTTPS.
error-inbox-outcome-unknown = The network did not say whether it went out: check there before answering again.
notify-inbox-assigned-subject = { $actor } assigned you a conversation in the inbox
notify-inbox-assigned-body = { $actor } assigned you a conversation in the inbox of { $org }.

## My account
account-title = My account
account-sessions = Where you are signed in
account-sessions-help = Every browser or device signed in to your account. Sign out anywhere you do not recognise; changing your password signs out everywhere else too.
account-device = Browser and system
account-device-unknown = Unknown browser
account-address = Address
account-signed-in = Signed in
account-last-seen = Last seen
account-this-session = This browser
account-sign-out-there = Sign out there
account-sign-out-others = Sign out everywhere else
account-sign-out-others-confirm = Sign out of every other browser and device?
account-password = Password
account-current-password = Current password
account-new-password = New password
account-password-help = At least 10 characters. Every other session of your account ends.
account-change-password = Change password
field-current_password = Current password
done-sessions-revoked = Signed out there.
done-password-updated = Your password was changed; every other session ended.
audit-sessions-revoked = Sessions ended

## Two-factor login
two-factor-title = Two-factor login
two-factor-help = Besides your password, sign in with a six-digit code from an authenticator app on your phone (such as Aegis, FreeOTP, Google Authenticator or 1Password). Someone who learns your password still cannot get in.
two-factor-start = Set up two-factor login
two-factor-on = On
two-factor-off = Off
two-factor-column = Two-factor
two-factor-codes-left = { $count ->
    [one] One unused recovery code is left.
   *[other] { $count } unused recovery codes are left.
}
two-factor-renew-codes = Make new recovery codes
two-factor-disable = Turn two-factor login off
two-factor-disable-confirm = Turn two-factor login off? Your password alone will then open your account.
two-factor-required-by = { $orgs } asks you to use two-factor login. Set it up to go on working there.
two-factor-kept-by = { $orgs } asks for two-factor login, so it stays on.
two-factor-setup-title = Set up two-factor login
two-factor-setup-scan = Scan this code with your authenticator app.
two-factor-setup-key = Or type this key into the app:
two-factor-setup-open-app = Open in an authenticator app on this device
two-factor-setup-enter = Enter the six-digit code the app now shows.
two-factor-setup-confirm = Turn on
two-factor-cancel = Cancel
two-factor-login-title = Two-factor login
two-factor-login-help = Enter the six-digit code from your authenticator app.
two-factor-login-recovery = Lost your phone? Enter one of your recovery codes instead.
two-factor-verify = Continue
two-factor-start-over = Sign in again
two-factor-policy = Who must use two-factor login
two-factor-policy-none = Nobody (each member chooses)
two-factor-policy-admins = Owners and admins
two-factor-policy-everyone = Every member
two-factor-policy-help = The members it covers set it up before they can go on working in the organization. API tokens are not affected.
recovery-codes-title = Your recovery codes
recovery-codes-help = If you lose your phone, each of these codes signs you in once. Print them or keep them in your password manager.
recovery-codes-once = They are shown only now. New codes make these stop working.
recovery-codes-saved = I have saved them
field-code = Code
error-input-wrong-code = The code is wrong, was already used, or has expired.
error-login-expired = The sign-in took too long or had too many wrong codes. Sign in again.
error-two-factor-required = This organization asks you to use two-factor login. Set it up on your account page first.
error-two-factor-on = Two-factor login is already on.
error-two-factor-off = Two-factor login is off.
error-two-factor-not-started = Start setting up two-factor login first.
error-two-factor-required-by-org = An organization you belong to asks for two-factor login, so it cannot be turned off.
error-two-factor-yourself-first = Turn on two-factor login for yourself first, on your account page, so that you are not locked out.
done-login-expired = The sign-in took too long or had too many wrong codes. Sign in again.
done-two-factor-required = An organization you belong to asks you to use two-factor login. Set it up below to go on.
done-two-factor-off = Two-factor login is off.
done-recovery-codes-saved = Two-factor login is on.
audit-two-factor-enabled = Two-factor login turned on
audit-two-factor-disabled = Two-factor login turned off
audit-recovery-codes-renewed = New recovery codes made
audit-recovery-code-used = Signed in with a recovery code
audit-two-factor-policy = Two-factor requirement changed
done-two-factor-policy-saved = Saved: who must use two-factor login.
error-unavailable = Kehilla cannot reach its database right now. Nothing you saved is lost; try again in a minute.
error-storage-full = The server's storage is full, so this could not be saved. Nothing was half saved; ask whoever runs the server to free space, then try again.

## Plan
plan-intro = Map your networks, set goals with numbers and deadlines, define who you speak to, and decide how often to post.
plan-see-progress = See progress against the goals
plan-guide-title = Getting started: the plan in four steps
plan-guide-intro = A plan answers four questions: where you are, what you want, for whom, and how often.
plan-step-map = Map the networks
plan-step-map-hint = For each channel, write what it is for.
plan-step-goals = Set goals
plan-step-goals-hint = A number, a deadline and the metric that shows it.
plan-step-audiences = Define audiences
plan-step-audiences-hint = Who you speak to; link each audience to a segment of your people.
plan-step-cadence = Set the cadence
plan-step-cadence-hint = How often each channel should have a new post.
plan-step-done = Done
plan-guide-hide = Hide the guide
plan-guide-finish = Done — hide the guide
plan-guide-show = Show the getting-started guide
plan-map-title = The channel map
plan-map-intro = Per network: its purpose, its audience, how often to post, and the hours and money it takes each month.
plan-map-none = No channels yet. Add them in the Studio:
plan-purpose = Purpose
plan-audience = Audience
plan-none = (none)
plan-cadence = A post at least every … days
plan-hours = Hours a month
plan-budget = Budget a month (₪)
plan-totals = In all:
plan-hours-total = { $count ->
    [one] one hour a month
   *[other] { $count } hours a month
}
plan-budget-total = ₪{ $count } a month
plan-audiences-title = Audiences
plan-audiences-intro = The people you want to reach. Link an audience to a segment to count it and send to it.
plan-audiences-none = No audiences yet.
plan-audience-name = Name
plan-audience-description = Description
plan-segment = Segment:
plan-audience-add = Add the audience
plan-audience-remove-confirm = Remove this audience? Goals and channels that name it keep their other settings.
plan-goals-title = Goals
plan-goals-intro = Each goal counts a metric from a start day to an end day, against a target.
plan-goals-none = No goals yet.
plan-goal-title = Goal
plan-goal-metric = Measured by
plan-goal-target = Target
plan-goal-start = From
plan-goal-end = Until
plan-goal-channel = Channel
plan-goal-all-channels = All channels
plan-goal-channel-hint = Only for metrics kept per channel (followers, clicks, posts, views, engagement).
plan-goal-add = Add the goal
plan-goal-remove-confirm = Remove this goal? Its figures stay; only the goal goes.
done-plan-map-saved = The channel map is saved.
done-plan-audience-added = The audience is added.
done-plan-audience-removed = The audience is removed.
done-plan-goal-added = The goal is added.
done-plan-goal-removed = The goal is removed.
done-plan-guide-saved = Saved.

## Measure
measure-intro = Progress against your goals, from the figures gathered every day: clicks, sign-ups, RSVPs, email and the networks' own figures.
measure-goals-title = Goals
measure-goals-none = No goals yet.
measure-forecast = forecast at the end:
measure-progress = Progress toward the target
measure-target = Target
measure-csv = Download the data (CSV)
measure-table = The figures as a table
measure-day = Day
measure-summary-title = The last 30 days
measure-chart-description = { $metric }: { $current } of { $target }; at this pace { $projected } by { $end } — { $outlook }.
minutes = { $count ->
    [one] one minute
   *[other] { $count } minutes
}
outlook-not_started = Not started
outlook-reached = Reached
outlook-on_track = On track
outlook-behind = Behind
outlook-met = Met
outlook-missed = Missed
outlook-no_data = No figures yet
goal-metric-followers = Followers
goal-metric-fediverse_followers = Fediverse followers of our site
goal-metric-subscribers = Newsletter subscribers
goal-metric-people = People
goal-metric-new_people = New people
goal-metric-signups = Sign-ups
goal-metric-volunteer_signups = Volunteer sign-ups
goal-metric-rsvps = RSVPs
goal-metric-pledges = Pledges
goal-metric-pledged = Amount pledged
goal-metric-clicks = Link clicks
goal-metric-posts_published = Posts published
goal-metric-views = Views
goal-metric-engagements = Engagements
goal-metric-engagement_rate = Engagement rate
goal-metric-emails_sent = Emails sent
goal-metric-email_opens = Email opens
goal-metric-first_response_minutes = First response time
goal-metric-messages_in = Messages received
measure-top-title = Top posts of the last 90 days
measure-top-engagement = By engagement
measure-top-conversions = By sign-ups, RSVPs and pledges they brought
measure-top-none = Nothing yet.
measure-attribution-title = Where sign-ups, RSVPs and pledges came from
measure-attribution-intro = Counted when someone arrives by a tracked link (its UTM parameters name the post and the network) and signs up, answers an invitation or pledges within 30 days.
measure-attribution-none = None arrived by a tracked link in the last 90 days.
measure-post = Post
measure-channel = Channel
measure-kind = What
measure-count = How many
measure-show = Show
conversion-signup = Sign-up
conversion-rsvp = RSVP
conversion-pledge = Pledge
measure-best-time-title = The best time to post
measure-best-time-caption = Average engagement per post by the day and hour it was published
measure-best-time-intro = { $count ->
    [one] From one post of the last year. The calendar suggests the best free slot of the week.
   *[other] From { $count } posts of the last year. The calendar suggests the best free slot of the week.
}
measure-best-time-little = { $count ->
    [one] Only one post of the last year so far; from 8 on, the calendar will suggest the best free slot of the week.
   *[other] Only { $count } posts of the last year so far; from 8 on, the calendar will suggest the best free slot of the week.
}
report-title = Monthly report
report-link = The monthly report for the board
report-period = Period:
report-month = Month
report-goals = Goals
report-value = Now
report-outlook = Standing
report-growth = Growth
report-start = At the start
report-end = At the end
report-activity = What happened
report-top = Top posts
report-conversation = The conversation
report-responses = Conversations answered
report-monthly-label = Email this report to the owners and admins on the first of each month
done-report-schedule-saved = Saved.
report-email-subject = { $org }: the report of { $month }
report-email-intro = The report of { $org } for { $month }.
report-email-link = The whole report, with its charts: { $link }
error-report-in-future = That month has not begun yet.
error-day-out-of-range = That day is out of range.
error-unknown-metric = That metric is not in the catalogue.
plan-goal-audience-hint = Who the goal is for, kept with it; the figures are the organization's (or the channel's).
report-pdf = Download as PDF
error-report-font-missing = The PDF needs a font with Hebrew letters, and none was found: set report_font to a TrueType file (docs/configuration.md).
error-report-font-unreadable = The report font could not be read as a TrueType font.
