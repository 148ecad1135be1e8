//! The vocabulary the generator draws from: clinical terms, title and
//! heading patterns, a small grammar's word lists, towns and names.

use std::sync::LazyLock;

pub const CONDITIONS: &[&str] = &[
    "neck pain",
    "low back pain",
    "sciatica",
    "rotator cuff tear",
    "frozen shoulder",
    "tennis elbow",
    "carpal tunnel syndrome",
    "plantar fasciitis",
    "achilles tendinopathy",
    "ankle sprain",
    "ACL tear",
    "meniscus tear",
    "patellofemoral pain",
    "hip bursitis",
    "osteoarthritis",
    "rheumatoid arthritis",
    "tension headaches",
    "TMJ dysfunction",
    "whiplash",
    "herniated disc",
    "spinal stenosis",
    "scoliosis",
    "shin splints",
    "IT band syndrome",
    "muscle knots",
    "concussion",
    "vertigo",
    "fibromyalgia",
    "osteoporosis",
    "post-surgical stiffness",
];

pub const TREATMENTS: &[&str] = &[
    "dry needling",
    "massage therapy",
    "manual therapy",
    "therapeutic exercise",
    "aquatic therapy",
    "kinesio taping",
    "cupping",
    "joint mobilization",
    "vestibular rehabilitation",
    "blood flow restriction training",
    "ultrasound therapy",
    "electrical stimulation",
    "cold laser therapy",
    "instrument-assisted soft tissue mobilization",
    "pelvic floor therapy",
];

pub const TAGS: &[&str] = &[
    "posture",
    "home exercise",
    "sports injury",
    "running",
    "office ergonomics",
    "seniors",
    "pediatrics",
    "post-surgical",
    "chronic pain",
    "mobility",
    "strength",
    "balance",
    "prevention",
    "recovery",
    "flexibility",
    "core stability",
    "workplace",
    "golf",
    "tennis",
    "youth sports",
    "pregnancy",
    "arthritis care",
    "manual therapy",
    "self-care",
    "sleep",
    "walking",
    "stretching",
    "pain science",
    "return to sport",
    "fall prevention",
    "desk work",
    "weightlifting",
    "dance",
    "cycling",
    "swimming",
    "hiking",
    "telehealth",
    "insurance",
    "first visit",
    "pelvic health",
];

pub const AUDIENCES: &[&str] = &[
    "runners",
    "office workers",
    "older adults",
    "new parents",
    "teen athletes",
    "golfers",
    "swimmers",
    "cyclists",
    "weekend warriors",
    "desk workers",
    "dancers",
    "nurses",
    "teachers",
    "construction workers",
    "gardeners",
    "tennis players",
    "hikers",
    "musicians",
    "drivers",
    "lifters",
    "pickleball players",
    "baseball pitchers",
    "soccer players",
    "skiers",
    "yoga students",
    "warehouse staff",
    "retirees",
    "students",
    "chefs",
    "pilots",
];

pub const CONTEXTS: &[&str] = &[
    "at work",
    "after surgery",
    "in winter",
    "during pregnancy",
    "at home",
    "on the road",
    "after fifty",
    "before a race",
    "in the first week",
    "while sleeping",
    "at the desk",
    "after a fall",
    "during the season",
    "in the off-season",
    "after a car accident",
    "with limited time",
    "without equipment",
    "on a budget",
    "in small spaces",
    "after a long flight",
    "during recovery",
    "in the morning",
    "at night",
    "after a sprain",
    "in cold weather",
    "in hot weather",
    "with arthritis",
    "after a break",
    "during rehab",
    "for the long term",
];

/// Article titles; `{C}` a condition, `{T}` and `{T2}` treatments, `{A}`
/// an audience, `{X}` a context, `{N}` a small number.
pub const TITLES: &[&str] = &[
    "{C}: Causes, Symptoms and Treatment for {A}",
    "How {T} Helps with {C} {X}",
    "{T} vs. {T2}: Which Is Right for {A}?",
    "{N} Exercises for {C} {X}",
    "What to Expect from {T} {X}",
    "Recovering from {C} {X}",
    "{C} in {A}: A Practical Guide",
    "Is {T} Safe for {A}?",
    "When {C} Needs More Than Rest",
    "Understanding {C}: Answers for {A}",
    "{N} Tips for Managing {C} {X}",
    "Myths About {T} and {C}",
    "A Physical Therapist's Guide to {C} {X}",
    "Can {T} Ease {C} in {A}?",
    "Preventing {C} {X}: {N} Habits That Help",
];

/// Section headings; `{Adj}` and `{Noun}` besides the title's fields.
pub const HEADINGS: &[&str] = &[
    "What Causes {C}?",
    "How {T} Works",
    "When to See a Physical Therapist",
    "Exercises You Can Try at Home",
    "What the Research Says",
    "Common Mistakes to Avoid",
    "Your First Visit",
    "Signs You Are Improving",
    "How Long Recovery Takes",
    "Building a Routine That Lasts",
    "Questions to Ask Your Therapist",
    "Who Benefits Most from {T}",
    "Risk Factors for {C}",
    "Pain Versus Soreness",
    "Returning to Activity",
    "Sleep, Stress and {C}",
    "Equipment You Might Need",
    "What Insurance Usually Covers",
    "Working with Your Care Team",
    "A Sample Week of Rehab",
    "Red Flags That Need Urgent Care",
    "The Role of {Adj} {Noun}",
    "Why {Noun} Matters",
    "Tracking Your Progress",
    "Adapting {T} for {A}",
];

pub const DETS: &[&str] = &[
    "the", "a", "each", "every", "this", "that", "your", "our", "some", "any", "one", "another",
    "their", "its", "most",
];

pub const PREPS: &[&str] = &[
    "with", "during", "after", "before", "around", "through", "without", "under", "across",
    "between", "into", "toward", "along", "beyond", "within", "despite", "for", "from", "over",
    "near",
];

pub const CONJS: &[&str] = &[
    "and", "but", "so", "while", "because", "although", "whereas", "unless", "since", "until",
    "once", "when",
];

pub const MODALS: &[&str] = &[
    "can", "may", "should", "might", "will", "could", "must", "would",
];

fn split(text: &'static str) -> Vec<&'static str> {
    text.split_whitespace().collect()
}

pub static NOUNS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    split(
        "ankle knee hip shoulder elbow wrist spine neck jaw pelvis tendon ligament muscle joint
        cartilage fascia nerve disc vertebra hamstring quadriceps calf glute rotator scapula
        posture gait balance stride cadence load tissue strength mobility stiffness swelling
        inflammation soreness tension range motion stability endurance flexibility alignment
        recovery session program routine plan exercise stretch drill set repetition interval
        warmup cooldown routine habit schedule goal milestone setback flare symptom sign
        therapist clinician patient coach doctor surgeon trainer nurse team clinic visit
        assessment evaluation screening exam measurement baseline progress outcome result
        evidence research study trial review guideline protocol approach technique method
        treatment option choice decision risk benefit tradeoff cost coverage referral appointment
        pillow mattress chair desk keyboard monitor shoe insole brace tape band weight ball mat
        foam roller step bench treadmill bicycle pool towel ice heat sleep stress hydration
        nutrition protein walking running lifting sitting standing bending reaching twisting
        climbing kneeling carrying pushing pulling breathing movement activity season weekend
        morning evening afternoon commute garden kitchen staircase hallway driveway office
        warehouse classroom field court track trail course studio gym family partner child
        parent grandparent employer coworker neighbor friend question answer concern worry
        confidence motivation patience consistency feedback adjustment modification regression
        progression threshold tolerance capacity demand volume intensity frequency duration
        rest recovery window phase stage week month year minute hour",
    )
});

pub static VERBS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    split(
        "supports reduces improves restores strengthens loosens stabilizes protects guides
        eases relieves increases limits changes shapes affects irritates aggravates calms
        challenges builds trains tests measures tracks reveals explains predicts prevents
        delays speeds slows shifts balances controls loads unloads stretches mobilizes
        activates releases relaxes compresses extends rotates flexes lifts lowers carries
        supports encourages rewards requires involves combines replaces complements follows
        precedes accompanies reflects signals suggests indicates confirms questions clarifies",
    )
});

pub static VERBS_BASE: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    split(
        "support reduce improve restore strengthen loosen stabilize protect guide ease relieve
        increase limit change shape affect irritate calm challenge build train test measure
        track reveal explain predict prevent delay speed slow shift balance control load
        stretch mobilize activate release relax extend rotate flex lift lower carry encourage
        require involve combine replace complement follow reflect signal suggest indicate confirm",
    )
});

pub static ADJS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    split(
        "gentle steady gradual careful consistent brief short long daily weekly light heavy
        moderate sharp dull aching stiff tight weak strong stable unstable painful comfortable
        simple complex common rare early late acute chronic recurring persistent mild severe
        active passive manual functional specific general targeted progressive individual
        personal practical realistic safe effective useful helpful important clinical typical
        modest small large slight noticeable measurable lasting temporary quick slow smooth
        controlled relaxed tense neutral upright seated standing supine prone lateral central
        lower upper inner outer deep superficial local regional whole balanced uneven",
    )
});

pub static ADVS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    split(
        "gradually carefully slowly quickly gently firmly regularly consistently often rarely
        usually sometimes typically steadily safely easily comfortably briefly occasionally
        frequently gradually deliberately patiently actively passively clearly simply",
    )
});

pub const EXTERNAL_TOPICS: &[&str] = &[
    "guidelines",
    "patient-resources",
    "exercise-library",
    "research-summaries",
    "health-topics",
    "clinical-practice",
    "self-management",
    "condition-guides",
];

/// A clinic's neighbourhood: fictional addresses near real places.
pub struct Town {
    pub name: &'static str,
    pub city: &'static str,
    pub lat: f64,
    pub lng: f64,
    pub postal_code: &'static str,
    pub area_code: &'static str,
}

const fn town(
    name: &'static str,
    city: &'static str,
    lat: f64,
    lng: f64,
    postal_code: &'static str,
    area_code: &'static str,
) -> Town {
    Town {
        name,
        city,
        lat,
        lng,
        postal_code,
        area_code,
    }
}

pub const TOWNS: &[Town] = &[
    town("Lincoln Park", "Chicago", 41.9214, -87.6513, "60614", "773"),
    town("Hinsdale", "Hinsdale", 41.8009, -87.9370, "60521", "630"),
    town(
        "Orland Park",
        "Orland Park",
        41.6303,
        -87.8539,
        "60462",
        "708",
    ),
    town("Evanston", "Evanston", 42.0451, -87.6877, "60201", "847"),
    town("Oak Park", "Oak Park", 41.8850, -87.7845, "60302", "708"),
    town(
        "Naperville",
        "Naperville",
        41.7508,
        -88.1535,
        "60540",
        "630",
    ),
    town(
        "Schaumburg",
        "Schaumburg",
        42.0334,
        -88.0834,
        "60173",
        "847",
    ),
    town("Skokie", "Skokie", 42.0324, -87.7416, "60076", "847"),
    town(
        "Downers Grove",
        "Downers Grove",
        41.8089,
        -88.0112,
        "60515",
        "630",
    ),
    town("Wheaton", "Wheaton", 41.8661, -88.1070, "60187", "630"),
    town(
        "Arlington Heights",
        "Arlington Heights",
        42.0884,
        -87.9806,
        "60004",
        "847",
    ),
    town("Lakeview", "Chicago", 41.9434, -87.6553, "60657", "773"),
    town("West Loop", "Chicago", 41.8827, -87.6470, "60607", "312"),
    town("Hyde Park", "Chicago", 41.7943, -87.5907, "60615", "773"),
    town("Elmhurst", "Elmhurst", 41.8995, -87.9403, "60126", "630"),
    town("La Grange", "La Grange", 41.8050, -87.8690, "60525", "708"),
    town(
        "Tinley Park",
        "Tinley Park",
        41.5734,
        -87.7845,
        "60477",
        "708",
    ),
    town(
        "Park Ridge",
        "Park Ridge",
        42.0111,
        -87.8406,
        "60068",
        "847",
    ),
    town("Glenview", "Glenview", 42.0698, -87.7878, "60025", "847"),
    town("Oak Lawn", "Oak Lawn", 41.7109, -87.7581, "60453", "708"),
    town("Lombard", "Lombard", 41.8800, -88.0078, "60148", "630"),
    town(
        "Glen Ellyn",
        "Glen Ellyn",
        41.8775,
        -88.0670,
        "60137",
        "630",
    ),
    town(
        "Bolingbrook",
        "Bolingbrook",
        41.6986,
        -88.0684,
        "60440",
        "630",
    ),
    town("Wilmette", "Wilmette", 42.0723, -87.7228, "60091", "847"),
    town(
        "Des Plaines",
        "Des Plaines",
        42.0334,
        -87.8834,
        "60016",
        "847",
    ),
    town("Berwyn", "Berwyn", 41.8506, -87.7937, "60402", "708"),
    town("Westmont", "Westmont", 41.7959, -87.9756, "60559", "630"),
    town(
        "Burr Ridge",
        "Burr Ridge",
        41.7489,
        -87.9184,
        "60527",
        "630",
    ),
    town("Wicker Park", "Chicago", 41.9088, -87.6796, "60622", "773"),
    town("South Loop", "Chicago", 41.8569, -87.6247, "60605", "312"),
];

pub const STREETS: &[&str] = &[
    "Main",
    "Oak",
    "Maple",
    "Lake",
    "Washington",
    "Ogden",
    "Harlem",
    "Central",
    "Green Bay",
    "Ridge",
    "Cicero",
    "Western",
    "Roosevelt",
    "Grand",
    "Dempster",
    "Golf",
    "Butterfield",
    "Chestnut",
    "Elm",
    "Madison",
    "Jefferson",
];

pub const STREET_KINDS: &[&str] = &["Ave", "St", "Rd", "Blvd", "Dr"];

pub const FIRST_NAMES: &[&str] = &[
    "Maria", "James", "Aisha", "Daniel", "Priya", "Tom", "Elena", "Marcus", "Grace", "Samuel",
    "Nora", "Luis", "Hannah", "Kevin", "Sofia", "Andre", "Julia", "Ravi", "Claire", "Owen",
    "Fatima", "Peter", "Leah", "Diego", "Megan", "Tim", "Yuki", "Brian", "Alicia", "Victor",
];

pub const LAST_NAMES: &[&str] = &[
    "Gonzalez", "Patel", "Kowalski", "Nguyen", "Okafor", "Rylander", "Schmidt", "Rivera",
    "Johnson", "Kim", "Murphy", "Novak", "Haddad", "Brennan", "Castillo", "Larsen", "Moreno",
    "Dubois", "Chen", "Walsh", "Ibrahim", "Fischer", "Ortiz", "Reyes", "Sullivan", "Tanaka",
    "Baker", "Wojcik", "Anders", "Costa",
];

/// Specialty credentials, in the order they are written after a name.
pub const SPECIALTY_CREDENTIALS: &[&str] = &[
    "OCS", "SCS", "NCS", "GCS", "WCS", "CSCS", "ATC", "FAAOMPT", "CMPT", "COMT",
];

pub const ROLES: &[&str] = &[
    "Clinic Director",
    "Staff Physical Therapist",
    "Senior Physical Therapist",
    "Sports Rehabilitation Lead",
    "Pelvic Health Specialist",
    "Vestibular Specialist",
    "Director of Clinical Education",
    "Orthopedic Residency Faculty",
    "Physical Therapist Assistant",
    "Regional Director",
];

pub const SERVICES: &[&str] = &[
    "physical therapy",
    "occupational therapy",
    "sports rehabilitation",
    "work conditioning",
    "pelvic health",
    "vestibular rehabilitation",
    "free injury screens",
    "dry needling",
    "massage therapy",
    "aquatic therapy",
    "manual therapy",
    "blood flow restriction training",
    "running analysis",
    "golf performance",
    "concussion management",
    "hand therapy",
];

/// One line of a clinic's opening hours: days, opens, closes.
pub type Hours = (&'static [&'static str], &'static str, &'static str);

const WEEKDAYS: &[&str] = &["Mo", "Tu", "We", "Th", "Fr"];

pub const HOURS: &[&[Hours]] = &[
    &[(WEEKDAYS, "07:00", "19:00"), (&["Sa"], "08:00", "12:00")],
    &[
        (&["Mo", "We", "Fr"], "07:00", "18:00"),
        (&["Tu", "Th"], "10:00", "19:00"),
    ],
    &[
        (&["Mo", "Tu", "We", "Th"], "06:30", "20:00"),
        (&["Fr"], "06:30", "17:00"),
        (&["Sa"], "08:00", "13:00"),
    ],
    &[(WEEKDAYS, "08:00", "17:00")],
    &[
        (&["Mo", "Tu", "Th"], "07:00", "19:00"),
        (&["We", "Fr"], "07:00", "15:00"),
        (&["Sa", "Su"], "09:00", "12:00"),
    ],
];

/// Row labels of comparison tables.
pub const ROW_LABELS: &[&str] = &[
    "Primary goal",
    "Typical session length",
    "Sessions needed",
    "What it feels like",
    "Best for",
    "Time to relief",
    "Home follow-up",
    "Evidence level",
    "Equipment",
    "Who delivers it",
    "Insurance coverage",
    "Common side effects",
];

/// Column heads of the exercise tables in article bodies.
pub const EXERCISE_COLUMNS: &[&str] = &[
    "Exercise",
    "Sets",
    "Reps",
    "Hold",
    "Days per week",
    "Notes",
    "Phase",
    "Goal",
    "Load",
];

pub const NAME_SUFFIXES: &[&str] = &["North", "South", "East", "West", "Central", "Plaza"];
