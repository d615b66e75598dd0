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
area-coming = What will be here
area-plan-summary = Goals, audiences and the channel map.
area-plan-point1 = Goals with numbers and deadlines, each with its metric.
area-plan-point2 = Target audiences linked to segments of your people.
area-plan-point3 = The channel map: per network its purpose, audience, cadence, monthly hours and budget.
area-people-summary = People, lists, consent and forms.
area-people-point1 = One record per person, with roles, tags and a timeline.
area-people-point2 = Lists, dynamic segments and imports from files.
area-people-point3 = A consent ledger per channel and purpose, and sign-up forms.
area-studio-summary = Write once, publish on every network.
area-studio-point1 = Content types: story, album, event, achievement, calls for volunteers and donations.
area-studio-point2 = A variant per network with exact character counts and previews.
area-studio-point3 = Approvals, tracked links and a media library.
area-calendar-summary = The schedule of posts.
area-calendar-point1 = Every scheduled post in week and month views.
area-calendar-point2 = A warning when a channel falls behind its cadence.
area-inbox-summary = Every comment and mention in one place.
area-inbox-point1 = Comments, replies and mentions from every network and the site.
area-inbox-point2 = Assignment to members, status, notes and saved replies.
area-inbox-point3 = Answers from here, through the network the message came from.
area-measure-summary = Progress against your goals.
area-measure-point1 = Each goal's progress, forecast and chart.
area-measure-point2 = Top posts, and sign-ups attributed to the post and channel that brought them.
area-measure-point3 = A monthly report for the board.
area-site-summary = Your own site: the home of everything you publish.
area-site-point1 = A profile card, posts with permanent links, and pages.
area-site-point2 = Events, volunteer shifts and discussions.
area-site-point3 = Feeds, a fediverse account and a full archive.

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
error-unavailable = The database is unavailable right now. Try again in a moment.
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
