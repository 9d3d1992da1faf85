"""Static material for generated tenants: names, places, lines of business, codes, variables and holidays.

Every name here satisfies the vendor's pattern for the field it lands in (e.g. business-hours names allow
no punctuation, entry-point names allow ``&``), so generated documents validate against the vendor spec.
"""
from __future__ import annotations

FIRST_NAMES = (
    "Aaliyah Aaron Abdul Ada Adrian Aiko Aisha Alan Alejandro Alicia Amara Amir Ana Andre Angela Anika Ansel "
    "Arjun Astrid Ava Bao Beatriz Ben Bianca Boris Caleb Camila Carmen Chen Chiara Chloe Chidi Daniel Dara "
    "David Deepa Diego Dmitri Elena Eli Emeka Emily Emma Enzo Esther Ethan Fatima Felix Freya Gabriel Grace "
    "Hana Hannah Hassan Hugo Ibrahim Imani Ines Isaac Ivan Jada Jamal James Jana Javier Jin Joao Jonas Jose "
    "Julia Kai Kamala Karim Kenji Kiara Lars Laura Layla Leo Liam Lin Lucia Luis Maya Mateo Mei Mia Miguel "
    "Mohammed Nadia Naomi Nia Nikhil Nina Noah Olga Omar Oscar Pablo Priya Quinn Rafael Ravi Rosa Ryan Sara "
    "Sean Sofia Sven Tariq Thomas Tomas Uma Valentina Victor Wei Yara Yusuf Zara Zoe"
).split()

LAST_NAMES = (
    "Abara Adams Agarwal Ahmed Alvarez Andersen Bailey Banerjee Becker Bianchi Brooks Byrne Campbell Castro "
    "Chan Chavez Chen Clarke Costa Cruz Das Diaz Dubois Edwards Eriksen Evans Fernandes Fischer Flores Fox "
    "Garcia Gomez Gonzalez Gupta Haddad Hansen Harris Hayes Hernandez Hoang Hughes Ibrahim Ito Jackson Jensen "
    "Johansson Johnson Jones Kang Kaur Keller Khan Kim Kowalski Kumar Larsen Le Lee Lopez Martin Martinez "
    "Mendes Meyer Molina Moreau Morris Murphy Nakamura Nguyen Novak Obi Okafor Oliveira Olsen Ortiz Park "
    "Patel Perez Petrov Phillips Popescu Quinn Ramirez Rao Reyes Rivera Roberts Rossi Russo Sanchez Santos "
    "Schmidt Schneider Shah Silva Singh Smith Sokolov Suzuki Tanaka Taylor Thompson Torres Tran Turner "
    "Vargas Varga Walker Wang Weber Williams Wilson Wong Wu Yamamoto Yang Young Zhang Zielinski"
).split()

# (site name, IANA time zone, country, E.164 prefix of its 555-style numbers)
SITES = [
    ("Raleigh", "America/New_York", "US", "+1919555"), ("Dublin", "Europe/Dublin", "IE", "+35315551"),
    ("Manila", "Asia/Manila", "PH", "+63285551"), ("Austin", "America/Chicago", "US", "+1512555"),
    ("Toronto", "America/Toronto", "CA", "+1416555"), ("London", "Europe/London", "GB", "+44207946"),
    ("Sydney", "Australia/Sydney", "AU", "+61255501"), ("Bengaluru", "Asia/Kolkata", "IN", "+91805550"),
    ("Krakow", "Europe/Warsaw", "PL", "+48125550"), ("Denver", "America/Denver", "US", "+1303555"),
    ("Phoenix", "America/Phoenix", "US", "+1602555"), ("Mexico City", "America/Mexico_City", "MX", "+52555501"),
]

# Lines of business: (name, channels its queues take, skill names its profiles stress)
LINES = [
    ("Customer Support", ("TELEPHONY", "CHAT"), ("Technical Troubleshooting", "Product Line")),
    ("Billing", ("TELEPHONY", "EMAIL"), ("Billing Expertise",)),
    ("Sales", ("TELEPHONY", "CHAT"), ("Sales",)),
    ("Technical Support", ("TELEPHONY", "EMAIL"), ("Technical Troubleshooting",)),
    ("Retention", ("TELEPHONY",), ("Retention", "Escalations Authorized")),
    ("VIP Care", ("TELEPHONY", "SOCIAL_CHANNEL"), ("VIP Certified",)),
    ("Claims", ("TELEPHONY", "EMAIL"), ("Billing Expertise", "Escalations Authorized")),
    ("Onboarding", ("CHAT", "EMAIL"), ("Product Line",)),
]

CHANNEL_WORD = {"TELEPHONY": "Voice", "CHAT": "Chat", "EMAIL": "Email", "SOCIAL_CHANNEL": "Social"}

# (name, skillType, enum values or None, dynamicSkill)
SKILLS = [
    ("Language", "enum", ("English", "Spanish", "French", "German", "Portuguese", "Tagalog"), False),
    ("Region", "enum", ("North America", "EMEA", "APAC"), False),
    ("Billing Expertise", "Proficiency", None, False),
    ("Technical Troubleshooting", "Proficiency", None, False),
    ("Sales", "Proficiency", None, False),
    ("Retention", "Proficiency", None, False),
    ("VIP Certified", "Boolean", None, False),
    ("Escalations Authorized", "Boolean", None, False),
    ("Bilingual", "Boolean", None, False),
    ("Product Line", "Text", None, False),
    ("Certification Level", "Text", None, False),
    ("Callback Priority", "Proficiency", None, True),
]

# (name, description, defaultCode, system code)
IDLE_CODES = [
    ("Break", "Short break", True, False), ("Lunch", "Meal break", False, False),
    ("Meeting", "Team or one-to-one meeting", False, False), ("Training", "Scheduled training", False, False),
    ("Coaching", "Coaching session with a supervisor", False, False),
    ("Technical Issue", "Desktop or phone problem", False, False),
    ("Back Office", "Offline work", False, False), ("Personal", "Personal time", False, False),
    ("RONA", "Redirection on no answer", False, True),
]
WRAP_UP_CODES = [
    ("Resolved", "Issue resolved on first contact", True, False),
    ("Escalated", "Escalated to tier 2", False, False),
    ("Callback Scheduled", "Follow-up callback booked", False, False),
    ("Sale Completed", "Order placed", False, False), ("Billing Inquiry", "Billing question answered", False, False),
    ("Technical Support", "Troubleshooting performed", False, False),
    ("Cancellation Request", "Customer asked to cancel", False, False),
    ("Wrong Number", "Caller reached the wrong number", False, False),
    ("Customer Disconnected", "Customer hung up", False, False),
    ("Wrap Up Timeout", "Wrap-up timer expired", False, True),
]

# Global variables: (name, variableType, defaultValue, agentViewable, agentEditable, reportable, sensitive, system)
CAD_VARIABLES = [
    ("Global_Language", "String", "en-US", False, False, False, False, True),
    ("Global_VoiceName", "String", "en-US-Standard-C", False, False, False, False, True),
    ("Global_FeedbackSurveyOptIn", "String", "false", False, False, True, False, True),
    ("CustomerAccountNumber", "String", "", True, False, True, True, False),
    ("CallReason", "String", "General", True, True, True, False, False),
    ("VIPStatus", "Boolean", "false", True, False, True, False, False),
    ("CustomerTenureMonths", "Integer", "0", True, False, True, False, False),
    ("OutstandingBalance", "Decimal", "0.00", True, False, True, True, False),
    ("LastContactDate", "DateTime", "2024-01-01T00:00:00Z", True, False, False, False, False),
    ("CaseNumber", "String", "", True, True, True, False, False),
    ("CallbackNumber", "String", "", True, True, False, True, False),
    ("NPSScore", "Integer", "0", False, False, True, False, False),
    ("PreferredLanguage", "String", "English", True, True, True, False, False),
    ("IVRPath", "String", "", True, False, True, False, False),
]

# Holidays per country: (name, yyyy-mm-dd, recurrence or None)
HOLIDAYS = {
    "US": [("New Years Day", "2026-01-01", {"interval": 1, "specificDayOfMonth": 1, "specificMonth": "JAN"}),
           ("Memorial Day", "2026-05-25", {"interval": 1, "occurrenceInTheMonth": "LAST", "daysOfWeek": ["MON"],
                                           "specificMonth": "MAY"}),
           ("Independence Day", "2026-07-04", {"interval": 1, "specificDayOfMonth": 4, "specificMonth": "JUL"}),
           ("Labor Day", "2026-09-07", {"interval": 1, "occurrenceInTheMonth": "FIRST", "daysOfWeek": ["MON"],
                                        "specificMonth": "SEP"}),
           ("Thanksgiving", "2026-11-26", {"interval": 1, "occurrenceInTheMonth": "FOURTH", "daysOfWeek": ["THU"],
                                           "specificMonth": "NOV"}),
           ("Christmas Day", "2026-12-25", {"interval": 1, "specificDayOfMonth": 25, "specificMonth": "DEC"})],
    "IE": [("New Years Day", "2026-01-01", {"interval": 1, "specificDayOfMonth": 1, "specificMonth": "JAN"}),
           ("St Patricks Day", "2026-03-17", {"interval": 1, "specificDayOfMonth": 17, "specificMonth": "MAR"}),
           ("Easter Monday", "2026-04-06", None),
           ("Christmas Day", "2026-12-25", {"interval": 1, "specificDayOfMonth": 25, "specificMonth": "DEC"}),
           ("St Stephens Day", "2026-12-26", {"interval": 1, "specificDayOfMonth": 26, "specificMonth": "DEC"})],
    "PH": [("New Years Day", "2026-01-01", {"interval": 1, "specificDayOfMonth": 1, "specificMonth": "JAN"}),
           ("Araw ng Kagitingan", "2026-04-09", {"interval": 1, "specificDayOfMonth": 9, "specificMonth": "APR"}),
           ("Independence Day", "2026-06-12", {"interval": 1, "specificDayOfMonth": 12, "specificMonth": "JUN"}),
           ("Rizal Day", "2026-12-30", {"interval": 1, "specificDayOfMonth": 30, "specificMonth": "DEC"})],
    "GLOBAL": [("New Years Day", "2026-01-01", {"interval": 1, "specificDayOfMonth": 1, "specificMonth": "JAN"}),
               ("Christmas Day", "2026-12-25", {"interval": 1, "specificDayOfMonth": 25, "specificMonth": "DEC"})],
}

DIRECTORY = [("IT Helpdesk", "0100"), ("Facilities", "0101"), ("Human Resources", "0102"),
             ("Escalations Desk", "0103"), ("Legal", "0104"), ("Security Desk", "0105"),
             ("Fraud Team", "0106"), ("Payments Team", "0107"), ("Shipping Partner", "0108"),
             ("Returns Center", "0109")]

# A trimmed Agent Desktop layout (the shape of the vendor's default JSON layout).
LAYOUT_JSON = (
    '{"version":"0.0.6","appTitle":"Webex Contact Center","logo":"","dragDropEnabled":false,'
    '"notificationTimer":8,"maximumNotificationCount":3,"browserNotificationTimer":8,"wxmConfigured":false,'
    '"desktopChatApp":{"webexConfigured":true},'
    '"area":{"headless":{"id":"dw-headless","widgets":{"comp1":{"comp":"div"}},"layout":{"areas":[["comp1"]],'
    '"size":{"cols":[1],"rows":[1]}}},"panel":{"comp":"md-tabs","attributes":{"class":"widget-tabs"},'
    '"children":[{"comp":"md-tab","attributes":{"slot":"tab","class":"widget-pane-tab"},'
    '"children":[{"comp":"slot","attributes":{"name":"IVR_TRANSCRIPT_TAB"}}]}]},'
    '"navigation":[{"nav":{"label":"Customer Experience Analytics","icon":"/app/images/wxm.bcd45cc3.svg",'
    '"iconType":"other","navigateTo":"wxm-metrics","align":"top"},"page":{"id":"wxm-metrics",'
    '"widgets":{"comp1":{"comp":"agentx-wc-cloudcherry-widget","attributes":{"metrics":true}}},'
    '"layout":{"areas":[["comp1"]],"size":{"cols":[1],"rows":[1]}}}}]}}'
)


def unique_names(bases, count: int) -> list[str]:
    """``count`` distinct names: the bases first, then the bases again numbered 2, 3, ..."""
    bases = list(bases)
    return [bases[i % len(bases)] + ("" if i < len(bases) else f" {i // len(bases) + 1}") for i in range(count)]
