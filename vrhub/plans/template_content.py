"""Reference content for the London Violence and Vulnerability Reduction Action Plan template.

This module is plain data with no Django imports, so it can be used by models, migrations,
seeding commands and tests alike.

* ``THEMES_2021`` - the seven themes of the 2021 template, each listing mandatory actions and
  a menu of optional actions.
* ``VAWG_THEME`` - the eighth theme (violence against women and girls) that London added later.
* ``RETIRED_IN_2022`` / ``NEW_ACTIONS_2022`` - how a 2022 revision of the template changes the
  2021 menu (used to demonstrate template versioning).
* ``LOCAL_ACTION_EXAMPLES`` / ``PROGRESS_UPDATES`` - material for generating demo data.

All wording is paraphrased and summarised, not quoted from VRU documents. Every ``example``
block, local action and progress update is SYNTHETIC sample content made up for demo data.
None of it describes a real borough, service or person, and the app must label it as
synthetic wherever it is shown.

Action dict structure::

    {
        "code": "GOV-M1",              # <THEME>-M<n> (mandatory) or <THEME>-O<n> (optional)
        "kind": "mandatory",           # or "optional"
        "title": "...",                # short imperative, <= 120 characters
        "guidance": "...",             # what a good entry for this action covers
        "example": {                   # synthetic sample content for demo data
            "outcome": "...", "baseline": "...", "progress": "...",
            "lead_role": "...", "lead_agency": "...",
        },
    }
"""

# ---------------------------------------------------------------------------
# Theme 1: Governance
# ---------------------------------------------------------------------------
_GOV = {
    "code": "GOV",
    "title": "Governance",
    "description": (
        "Sets out who leads and is held accountable for violence reduction in the borough, "
        "from the Community Safety Partnership board down to its delivery groups. It also "
        "shows how the CSP works with the safeguarding partnerships for children and adults "
        "and with the Health and Wellbeing Board, so that the borough takes one shared public "
        "health approach to violence."
    ),
    "actions": [
        {
            "code": "GOV-M1",
            "kind": "mandatory",
            "title": "Name the senior partnership board that owns the violence reduction plan and set out its membership",
            "guidance": (
                "Name the board, its chair and its core members from the council, police, "
                "health, probation and youth justice. Say how often it meets and where its "
                "terms of reference are kept."
            ),
            "example": {
                "outcome": "CSP board reviews the plan every quarter with at least 80% of core members attending",
                "baseline": "2020/21: 3 of 4 CSP board meetings quorate; average attendance 68%",
                "progress": "Terms of reference refreshed and agreed in October. Attendance at the last two meetings was 85%.",
                "lead_role": "Director of Community Safety",
                "lead_agency": "Council",
            },
        },
        {
            "code": "GOV-M2",
            "kind": "mandatory",
            "title": "Set out formal links between the CSP, the safeguarding partnerships and the Health and Wellbeing Board",
            "guidance": (
                "Describe how priorities, risks and learning pass between the boards, for example "
                "through shared members, joint sessions or cross-reporting. Note any joint "
                "protocol that has been agreed."
            ),
            "example": {
                "outcome": "Serious violence reported to the Safeguarding Children Partnership and the Health and Wellbeing Board twice a year",
                "baseline": "2020/21: no scheduled reporting of violence to the Health and Wellbeing Board",
                "progress": "First joint report was presented to the Health and Wellbeing Board in September. A joint protocol is being drafted.",
                "lead_role": "Head of Community Safety",
                "lead_agency": "Council",
            },
        },
        {
            "code": "GOV-M3",
            "kind": "mandatory",
            "title": "Get the plan signed off by the Chief Executive, the Leader or elected Mayor and the BCU Commander",
            "guidance": (
                "Record the date each senior leader signed and how they are kept informed from "
                "then on. Include a timetable for reviewing the plan over the year."
            ),
            "example": {
                "outcome": "Signed plan sent to the VRU by the deadline and reviewed by the partnership every quarter",
                "baseline": "2020/21: plan signed off 5 weeks after the submission date",
                "progress": "All three signatures were obtained before the deadline. The first quarterly review is booked for the March board.",
                "lead_role": "Community Safety Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "GOV-M4",
            "kind": "mandatory",
            "title": "Prepare the partnership to meet the Serious Violence Duty",
            "guidance": (
                "Confirm which responsible authorities are bound by the duty and that the CSP is "
                "the partnership that will meet it. Explain how the joint needs assessment and "
                "local strategy will be produced, and how schools and custodial settings will be "
                "consulted."
            ),
            "example": {
                "outcome": "Readiness plan for the duty agreed by all responsible authorities, with named leads for assessment, strategy and data",
                "baseline": "2021/22: 0 of 5 responsible authority types formally signed up to duty arrangements",
                "progress": "Police, council, probation and youth justice have confirmed their leads. Talks with the health lead are continuing.",
                "lead_role": "Head of Community Safety",
                "lead_agency": "Council",
            },
        },
        {
            "code": "GOV-M5",
            "kind": "mandatory",
            "title": "Put a named public health lead on the board to steer the public health approach",
            "guidance": (
                "Name the public health lead and set out what they contribute, for example "
                "analysis, evidence reviews, or drawing on commissioning for mental health and "
                "substance misuse."
            ),
            "example": {
                "outcome": "Public health consultant attends every board meeting and co-writes the annual violence profile",
                "baseline": "2020/21: public health attended 1 of 4 board meetings",
                "progress": "A consultant in public health has been named as board member and has attended both meetings held since.",
                "lead_role": "Consultant in Public Health",
                "lead_agency": "Council",
            },
        },
        {
            "code": "GOV-O1",
            "kind": "optional",
            "title": "Bring young people's and residents' voices into governance through a youth panel or community seats",
            "guidance": (
                "Explain how young people and residents shape decisions, for example through a "
                "youth advisory group that reports to the board. Say how members are recruited, "
                "supported and paid."
            ),
            "example": {
                "outcome": "Youth advisory panel of 12 or more young people meets monthly and presents to the board twice a year",
                "baseline": "2020/21: no standing youth input into CSP governance",
                "progress": "Nine young people recruited through youth centres and the youth council. First session was held in November.",
                "lead_role": "Youth Participation Officer",
                "lead_agency": "Council",
            },
        },
        {
            "code": "GOV-O2",
            "kind": "optional",
            "title": "Set up a violence and vulnerability delivery group that reports to the CSP board",
            "guidance": (
                "Describe the group's membership, how often it meets and how it turns board "
                "priorities into delivery. Show how it tracks RAG status across the plan."
            ),
            "example": {
                "outcome": "Delivery group meets every 6 weeks and gives the board a RAG-rated update on every action",
                "baseline": "2020/21: plan progress reported to the board once, at year end",
                "progress": "The group has met four times. The RAG tracker is now a standing item on the board agenda.",
                "lead_role": "Violence Reduction Coordinator",
                "lead_agency": "Council",
            },
        },
        {
            "code": "GOV-O3",
            "kind": "optional",
            "title": "Feed learning from homicide, domestic homicide and safeguarding practice reviews into the plan",
            "guidance": (
                "Explain how recommendations from local and London-wide reviews are collected and "
                "given an owner, and how the board checks they have been acted on."
            ),
            "example": {
                "outcome": "Every relevant review recommendation has an owner and is tracked until closed",
                "baseline": "2020/21: 14 open review recommendations on violence, 5 with no named owner",
                "progress": "All 14 recommendations now have owners and 6 have been closed. A joint learning event is planned for spring.",
                "lead_role": "Safeguarding Partnership Business Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "GOV-O4",
            "kind": "optional",
            "title": "Map all partner funding for violence reduction and agree joint commissioning where it makes sense",
            "guidance": (
                "List the main funding streams and the services they pay for, and point out gaps "
                "or duplication. Record any pooled or jointly commissioned services and when "
                "their funding ends."
            ),
            "example": {
                "outcome": "Funding map agreed by partners, with at least one service jointly commissioned by 2023",
                "baseline": "2021/22: 11 separately funded violence-related services; no shared funding map",
                "progress": "The first version of the funding map went to the board in December. It found two overlapping mentoring contracts.",
                "lead_role": "Commissioning Manager",
                "lead_agency": "Council",
            },
        },
    ],
}

# ---------------------------------------------------------------------------
# Theme 2: Analysis and Enforcement
# ---------------------------------------------------------------------------
_ANE = {
    "code": "ANE",
    "title": "Analysis and Enforcement",
    "description": (
        "Covers how partners build a shared picture of local violence and use it to direct "
        "enforcement and disruption. This includes the Strategic Needs Assessment, monthly "
        "partnership tasking, and using hospital (ISTV) and other public health data alongside "
        "police data."
    ),
    "actions": [
        {
            "code": "ANE-M1",
            "kind": "mandatory",
            "title": "Produce and refresh every year a Strategic Needs Assessment of violence using data from several agencies",
            "guidance": (
                "Name the datasets used, such as police, health, education, social care and "
                "youth justice data, and list the main findings on places, people and times. "
                "Show how the findings have shaped this plan."
            ),
            "example": {
                "outcome": "Needs assessment published every year, drawing on at least 6 partner datasets",
                "baseline": "2020/21 assessment used 3 datasets (police, youth justice, ASB)",
                "progress": "Education and ambulance data have been added for the 2021/22 refresh. A draft goes to the board in January.",
                "lead_role": "Community Safety Analyst",
                "lead_agency": "Council",
            },
        },
        {
            "code": "ANE-M2",
            "kind": "mandatory",
            "title": "Hold monthly partnership tasking meetings to target violence hotspots and the people most at risk",
            "guidance": (
                "Say who attends, what analysis is brought to the meeting and how actions are "
                "followed up. Give examples of problems that have been tasked and what happened."
            ),
            "example": {
                "outcome": "20% fewer knife crime with injury offences in the three hotspots that are tasked",
                "baseline": "2020/21: 118 knife crime with injury offences across the three tasked hotspots",
                "progress": "Tasking has met every month since April. Offences in the hotspots are down 11% so far this year.",
                "lead_role": "Partnership Inspector",
                "lead_agency": "Metropolitan Police",
            },
        },
        {
            "code": "ANE-M3",
            "kind": "mandatory",
            "title": "Use ISTV emergency department data and other health data in local analysis",
            "guidance": (
                "Explain how A&E assault data, ambulance call-outs and other health sources are "
                "used with police data, for example to find locations where violence is not "
                "reported to police."
            ),
            "example": {
                "outcome": "Hospital and ambulance data included in every monthly tasking pack",
                "baseline": "2020/21: ISTV data used in 2 of 12 tasking packs",
                "progress": "Analysts now have SafeStats access, and hospital data has been in every pack since July.",
                "lead_role": "Senior Intelligence Analyst",
                "lead_agency": "Council",
            },
        },
        {
            "code": "ANE-M4",
            "kind": "mandatory",
            "title": "Agree and review an information sharing agreement that covers all violence reduction partners",
            "guidance": (
                "Say which partners have signed, what data is shared, at what level (aggregate or "
                "individual) and on what legal basis. Give the review date."
            ),
            "example": {
                "outcome": "All statutory partners and the main VCS providers signed up to one violence information sharing agreement",
                "baseline": "2020/21: 4 separate bilateral agreements; health not included",
                "progress": "The draft agreement is with the data protection officers. Health partners have agreed the principles.",
                "lead_role": "Information Governance Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "ANE-M5",
            "kind": "mandatory",
            "title": "Disrupt the most harmful violent offenders, drug markets and county lines activity",
            "guidance": (
                "Describe the enforcement and civil tools being used, such as warrants, closure "
                "orders, injunctions and licence conditions. Show how disruption is matched with "
                "safeguarding for exploited young people."
            ),
            "example": {
                "outcome": "15% fewer violence with injury offences linked to drug markets, with every exploited child identified referred to safeguarding",
                "baseline": "2020/21: 36 county lines disruptions; 22 young people referred to children's social care",
                "progress": "Nineteen disruptions so far this year. Every young person found during them was referred to the exploitation panel.",
                "lead_role": "Detective Inspector, Violent Crime Taskforce",
                "lead_agency": "Metropolitan Police",
            },
        },
        {
            "code": "ANE-O1",
            "kind": "optional",
            "title": "Manage persistent violent offenders through Integrated Offender Management",
            "guidance": (
                "Say how the violent offender cohort is selected, which agencies support it and "
                "how reoffending is measured. Include work with probation on people leaving "
                "custody."
            ),
            "example": {
                "outcome": "Violent reoffending among the managed cohort reduced by 25% over 12 months",
                "baseline": "2020/21: cohort of 45 people; 31 violent offences committed during the year",
                "progress": "The cohort has been refreshed using a violence-focused matrix. Housing and substance misuse workers now attend the monthly panel.",
                "lead_role": "IOM Probation Lead",
                "lead_agency": "Probation Service",
            },
        },
        {
            "code": "ANE-O2",
            "kind": "optional",
            "title": "Run problem-solving plans for repeat violence locations, including changes to the environment",
            "guidance": (
                "Name the locations and describe the problem analysis. List the physical and "
                "management changes made, such as lighting, CCTV, landscaping or access control, "
                "and the before-and-after results."
            ),
            "example": {
                "outcome": "30% fewer violent incidents at two estate locations with repeat problems",
                "baseline": "2020/21: 64 violence with injury incidents at the two locations",
                "progress": "New lighting and a CCTV camera have been installed at the first site. Landscaping at the second site is booked for February.",
                "lead_role": "Design Out Crime Officer",
                "lead_agency": "Metropolitan Police",
            },
        },
        {
            "code": "ANE-O3",
            "kind": "optional",
            "title": "Use licensing and joint visits to reduce violence in the night-time economy",
            "guidance": (
                "Describe joint licensing visits, reviews of problem premises and how venues are "
                "supported on search, welfare and dispersal at closing time."
            ),
            "example": {
                "outcome": "Night-time violence with injury in the town centre reduced by 15%",
                "baseline": "2020/21: 142 violence with injury offences between 10pm and 4am in the town centre",
                "progress": "Forty joint visits completed. One premises licence review resulted in extra conditions.",
                "lead_role": "Licensing Team Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "ANE-O4",
            "kind": "optional",
            "title": "Set up a framework to monitor and evaluate the plan's main interventions",
            "guidance": (
                "Say which interventions are being evaluated, the measures used and who does the "
                "work. Explain how the findings will inform recommissioning."
            ),
            "example": {
                "outcome": "Outcome measures agreed for the 5 largest interventions, with an evaluation report each year",
                "baseline": "2020/21: 1 of 5 main interventions had agreed outcome measures",
                "progress": "Outcome measures agreed for three interventions. A university partner is scoping an evaluation of the mentoring programme.",
                "lead_role": "Performance and Insight Manager",
                "lead_agency": "Council",
            },
        },
    ],
}

# ---------------------------------------------------------------------------
# Theme 3: Reducing Access to Weapons
# ---------------------------------------------------------------------------
_WPN = {
    "code": "WPN",
    "title": "Reducing Access to Weapons",
    "description": (
        "Describes how partners work together to make knives and other weapons harder to buy, "
        "hide and carry. It includes Trading Standards work with retailers, planned weapons "
        "sweeps and making it easy for people to hand weapons in."
    ),
    "actions": [
        {
            "code": "WPN-M1",
            "kind": "mandatory",
            "title": "Run Trading Standards test purchases and retailer engagement on age-restricted knife sales",
            "guidance": (
                "Give the number of test purchases and their results, and any follow-up such as "
                "advice, warnings or prosecution. Describe how retailers are supported with "
                "training and a responsible retailer agreement."
            ),
            "example": {
                "outcome": "Test purchase failure rate for knife sales to under-18s kept below 10%",
                "baseline": "2020/21: 30 test purchases; 7 sales to under-18s (23% failure rate)",
                "progress": "Twenty test purchases so far this year with two failures. Both shops received advice visits and will be retested.",
                "lead_role": "Trading Standards Officer",
                "lead_agency": "Council",
            },
        },
        {
            "code": "WPN-M2",
            "kind": "mandatory",
            "title": "Carry out regular weapons sweeps of hotspots with police, council staff and volunteers",
            "guidance": (
                "Say how sweep locations are chosen from intelligence and analysis, how often "
                "sweeps happen, who takes part and what is found. Explain how finds are fed back "
                "into tasking."
            ),
            "example": {
                "outcome": "Monthly sweeps carried out in every tasked hotspot, with finds recorded and mapped",
                "baseline": "2020/21: 18 sweeps; 27 weapons recovered",
                "progress": "Twelve sweeps completed with 15 weapons recovered. Repeat finds on one estate have been passed to tasking.",
                "lead_role": "Safer Neighbourhoods Sergeant",
                "lead_agency": "Metropolitan Police",
            },
        },
        {
            "code": "WPN-M3",
            "kind": "mandatory",
            "title": "Provide and promote safe ways to surrender weapons, such as knife bins and surrender weeks",
            "guidance": (
                "List where surrender bins are, how they are promoted and how much is handed in. "
                "Say how community and faith venues are used as trusted places to hand weapons in."
            ),
            "example": {
                "outcome": "At least 4 surrender points in use, with items handed in reported every quarter",
                "baseline": "2020/21: 2 surrender bins; 96 bladed items surrendered",
                "progress": "A third bin has been installed at a faith centre. About 60 items have been surrendered so far this year.",
                "lead_role": "Community Safety Officer",
                "lead_agency": "Council",
            },
        },
        {
            "code": "WPN-M4",
            "kind": "mandatory",
            "title": "Take part in London-wide weapons intensification weeks with local enforcement and engagement",
            "guidance": (
                "Describe the borough's activity during each intensification week, such as "
                "targeted patrols, school visits, retailer checks and publicity, and report the "
                "results."
            ),
            "example": {
                "outcome": "Borough delivers a full programme of activity in every London-wide weapons week",
                "baseline": "2020/21: took part in 1 of 2 intensification weeks",
                "progress": "The November week included 14 school talks, 8 retailer visits and 3 sweeps.",
                "lead_role": "Neighbourhood Policing Inspector",
                "lead_agency": "Metropolitan Police",
            },
        },
        {
            "code": "WPN-O1",
            "kind": "optional",
            "title": "Train housing, parks and street cleansing staff to spot and report hidden weapons",
            "guidance": (
                "Say which frontline teams have been trained, how they report finds safely and "
                "how the reports feed into sweeps and tasking."
            ),
            "example": {
                "outcome": "80% of estate-based and parks staff trained to spot and report hidden weapons",
                "baseline": "2020/21: 0 frontline environmental staff trained",
                "progress": "Forty-five caretakers and park rangers trained. Reports now go straight to the neighbourhood policing team.",
                "lead_role": "Estate Services Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "WPN-O2",
            "kind": "optional",
            "title": "Check online and home-delivery knife sales for age verification at the door",
            "guidance": (
                "Describe test purchases or checks on online sellers and delivery firms based in "
                "the borough, and any advice given on age checks when parcels are handed over."
            ),
            "example": {
                "outcome": "All known local online knife sellers checked for age verification on delivery",
                "baseline": "2020/21: 0 online test purchases carried out",
                "progress": "Six local online sellers identified. Test purchases with two of them found no age check at the door.",
                "lead_role": "Trading Standards Team Leader",
                "lead_agency": "Council",
            },
        },
        {
            "code": "WPN-O3",
            "kind": "optional",
            "title": "Limit sales of corrosive substances to young people through retailer advice and checks",
            "guidance": (
                "Describe retailer visits, advice on safer storage and age checks, and any test "
                "purchases of corrosive products."
            ),
            "example": {
                "outcome": "All high-risk hardware and cleaning product retailers visited and given advice",
                "baseline": "2020/21: 11 corrosive substance offences recorded",
                "progress": "Twenty-two retailers visited. Most have moved high-strength products behind the counter.",
                "lead_role": "Trading Standards Officer",
                "lead_agency": "Council",
            },
        },
        {
            "code": "WPN-O4",
            "kind": "optional",
            "title": "Run a weapons awareness campaign co-designed with young people",
            "guidance": (
                "Explain how young people shaped the messages and channels, who the campaign is "
                "aimed at, and how reach and changes in attitude are measured."
            ),
            "example": {
                "outcome": "Campaign reaches 5,000 young people, and survey respondents who see carrying a knife as normal falls by 10 points",
                "baseline": "2020/21 youth survey: 31% agreed that 'lots of young people carry knives'",
                "progress": "Twelve young people co-designed the campaign in workshops. The launch is planned for the spring term.",
                "lead_role": "Communications Officer",
                "lead_agency": "Council",
            },
        },
        {
            "code": "WPN-O5",
            "kind": "optional",
            "title": "Design out places where weapons are hidden, such as overgrown verges, open bin stores and communal voids",
            "guidance": (
                "Say how sweep finds are used to choose sites for changes, what physical work has "
                "been done, and whether finds at those sites have since fallen."
            ),
            "example": {
                "outcome": "No repeat weapon finds at treated hiding places over 6 months",
                "baseline": "2020/21: 9 locations with 3 or more weapon finds each",
                "progress": "Five locations treated so far, including locking bin stores and cutting back hedges.",
                "lead_role": "Neighbourhood Improvement Officer",
                "lead_agency": "Council",
            },
        },
    ],
}

# ---------------------------------------------------------------------------
# Theme 4: Safeguarding and Educating Young People (most detailed theme)
# ---------------------------------------------------------------------------
_SYP = {
    "code": "SYP",
    "title": "Safeguarding and Educating Young People",
    "description": (
        "The largest theme in the template. It covers keeping children in education and out "
        "of exclusion, protecting children in care and care leavers, supporting parents and "
        "carers, and making schools safe and inclusive. It also covers the multi-agency "
        "response to exploitation and to harm outside the family home."
    ),
    "actions": [
        {
            "code": "SYP-M1",
            "kind": "mandatory",
            "title": "Work with schools to reduce permanent exclusions and suspensions and tackle disproportionality",
            "guidance": (
                "Give exclusion and suspension figures, including for over-represented groups, "
                "and describe inclusion support such as in-school units, managed moves and "
                "inclusion panels. Say how partners track what happens to excluded pupils."
            ),
            "example": {
                "outcome": "Permanent exclusions down by a third and the gap for over-represented groups narrowed",
                "baseline": "2019/20 academic year: 27 permanent exclusions; Black Caribbean pupils excluded at 3 times the borough rate",
                "progress": "Inclusion panel set up with 14 secondary schools. There have been 8 permanent exclusions so far this academic year.",
                "lead_role": "Head of Inclusion",
                "lead_agency": "Council",
            },
        },
        {
            "code": "SYP-M2",
            "kind": "mandatory",
            "title": "Protect children in care and care leavers from exploitation and violence",
            "guidance": (
                "Explain how risks of violence and exploitation are assessed and planned for "
                "among children in care, including those placed outside the borough. Describe "
                "support for care leavers such as personal advisers, housing and mentoring."
            ),
            "example": {
                "outcome": "Every child in care assessed as at risk of exploitation has a safety plan reviewed at least every 3 months",
                "baseline": "2020/21: 38 children in care flagged at risk of criminal exploitation; 24 with a current safety plan",
                "progress": "Safety plans are now in place for 35 of the 41 children flagged. Care leaver personal advisers have had exploitation training.",
                "lead_role": "Head of Service, Children Looked After",
                "lead_agency": "Council",
            },
        },
        {
            "code": "SYP-M3",
            "kind": "mandatory",
            "title": "Give parents and carers information, peer support and parenting programmes on violence and exploitation",
            "guidance": (
                "Describe the offer for parents, such as a parents' network, awareness sessions "
                "on exploitation and online harm, and evidence-based parenting programmes. Give "
                "numbers reached and feedback."
            ),
            "example": {
                "outcome": "250 parents and carers reached each year, with 75% reporting more confidence in spotting warning signs",
                "baseline": "2020/21: 96 parents attended exploitation awareness sessions",
                "progress": "The parents' network now has 60 members. Four awareness sessions have run in community venues.",
                "lead_role": "Early Help Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "SYP-M4",
            "kind": "mandatory",
            "title": "Make schools safe and inclusive places through safer schools policing and a whole-school approach",
            "guidance": (
                "Describe police and youth work presence in schools, the relationships and "
                "violence prevention curriculum, and how schools take part in the wider "
                "safeguarding partnership."
            ),
            "example": {
                "outcome": "Every secondary school has a named safer schools officer and delivers violence prevention lessons to Years 7 to 9",
                "baseline": "2020/21: 11 of 17 secondary schools delivering structured violence prevention lessons",
                "progress": "Fourteen schools are now delivering the lessons. A designated safeguarding leads' forum meets every term.",
                "lead_role": "Safer Schools Sergeant",
                "lead_agency": "Metropolitan Police",
            },
        },
        {
            "code": "SYP-M5",
            "kind": "mandatory",
            "title": "Run a multi-agency exploitation panel using a contextual safeguarding approach",
            "guidance": (
                "Say who sits on the panel, how children are referred and risk-assessed, and how "
                "places and peer groups are dealt with as well as individual children. Include "
                "the number of children discussed and their outcomes."
            ),
            "example": {
                "outcome": "Risk reduced for 60% of children reviewed at the exploitation panel within 6 months",
                "baseline": "2020/21: 84 children discussed; risk reduced for 41%",
                "progress": "The panel now also looks at locations, and two places have been referred to tasking. A risk-reduction audit is due in the next quarter.",
                "lead_role": "Exploitation Service Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "SYP-M6",
            "kind": "mandatory",
            "title": "Respond quickly to children missing from home, care or education, including timely return home interviews",
            "guidance": (
                "Give how many return home interviews are offered and completed within 72 hours, "
                "and explain how the information gathered is shared with the exploitation panel "
                "and police."
            ),
            "example": {
                "outcome": "85% of return home interviews completed within 72 hours",
                "baseline": "2020/21: 412 missing episodes; 58% of return interviews completed within 72 hours",
                "progress": "A VCS provider now carries out interviews at weekends. The 72-hour completion rate is 74% so far this year.",
                "lead_role": "Missing Children Coordinator",
                "lead_agency": "Council",
            },
        },
        {
            "code": "SYP-O1",
            "kind": "optional",
            "title": "Provide mentoring and support to return to mainstream school for pupils in PRUs and alternative provision",
            "guidance": (
                "Describe the mentoring or transition offer, how many pupils it reaches, and "
                "results such as attendance, return to mainstream school or post-16 destinations."
            ),
            "example": {
                "outcome": "90% of PRU leavers move into education, employment or training",
                "baseline": "2020/21: 71% of Year 11 PRU leavers in education, employment or training by November",
                "progress": "Twenty-two pupils are matched with mentors. Post-16 transition plans have been started for all Year 11 pupils.",
                "lead_role": "PRU Headteacher",
                "lead_agency": "Schools",
            },
        },
        {
            "code": "SYP-O2",
            "kind": "optional",
            "title": "Train school staff and frontline practitioners in trauma-informed practice",
            "guidance": (
                "Say which workforces have been trained, how the training is kept up, and what "
                "has changed in practice as a result."
            ),
            "example": {
                "outcome": "400 practitioners across schools, early help and youth services trained in trauma-informed practice",
                "baseline": "2020/21: 85 practitioners trained",
                "progress": "Two hundred and ten practitioners trained. Three schools have adopted trauma-informed behaviour policies.",
                "lead_role": "Workforce Development Lead",
                "lead_agency": "Council",
            },
        },
        {
            "code": "SYP-O3",
            "kind": "optional",
            "title": "Support the move from primary to secondary school for pupils at higher risk",
            "guidance": (
                "Explain how at-risk Year 6 pupils are identified and what support continues into "
                "Year 7, such as mentoring, family work and sharing information between schools."
            ),
            "example": {
                "outcome": "80% of supported pupils have attendance above 90% in Year 7",
                "baseline": "2020/21: 46 Year 6 pupils identified as at risk at transition; no structured support",
                "progress": "Thirty-eight pupils are on the transition programme. Peer mentors from Year 10 have been trained.",
                "lead_role": "Education Partnership Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "SYP-O4",
            "kind": "optional",
            "title": "Make journeys to and from school safer at the end of the school day",
            "guidance": (
                "Describe patrols, visible staff on routes and at transport hubs, and work with "
                "transport partners at flashpoint locations. Report incident trends for the "
                "after-school period."
            ),
            "example": {
                "outcome": "20% fewer youth violence incidents between 3pm and 6pm on school days",
                "baseline": "2020/21: 133 youth violence offences between 3pm and 6pm on school days",
                "progress": "Staff have been posted at two bus interchanges since September. Incidents at those sites are down so far.",
                "lead_role": "Schools Liaison Inspector",
                "lead_agency": "Metropolitan Police",
            },
        },
        {
            "code": "SYP-O5",
            "kind": "optional",
            "title": "Offer support to families affected by child or adolescent to parent violence",
            "guidance": (
                "Describe how families are identified and referred, which intervention is used, "
                "and what outcomes are measured for parents and young people."
            ),
            "example": {
                "outcome": "Repeat police call-outs fall for 70% of families completing the programme",
                "baseline": "2020/21: 67 police reports of adolescent to parent violence",
                "progress": "A family programme has been commissioned and 14 families referred. The first group finishes in February.",
                "lead_role": "Family Support Team Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "SYP-O6",
            "kind": "optional",
            "title": "Tackle online harm linked to violence, including social media content that provokes conflict",
            "guidance": (
                "Describe how harmful online content is spotted and reported, how schools and "
                "parents are supported on digital safety, and how online tensions are brought "
                "into tasking."
            ),
            "example": {
                "outcome": "Online tension intelligence reviewed at every tasking meeting, with all harmful content referred for removal",
                "baseline": "2020/21: online content considered at tasking on an ad hoc basis only",
                "progress": "The youth service and police now share a weekly online tension log. Twenty-three items have been referred for removal.",
                "lead_role": "Detached Youth Work Manager",
                "lead_agency": "Council",
            },
        },
    ],
}

# ---------------------------------------------------------------------------
# Theme 5: Working with Communities and Neighbourhoods to Reduce Violence
# ---------------------------------------------------------------------------
_COM = {
    "code": "COM",
    "title": "Working with Communities and Neighbourhoods to Reduce Violence",
    "description": (
        "Covers working with residents, community groups and the voluntary and community "
        "sector (VCS) so that local knowledge shapes the response to violence. It also covers "
        "building trust, supporting grassroots organisations and looking after communities "
        "after serious incidents."
    ),
    "actions": [
        {
            "code": "COM-M1",
            "kind": "mandatory",
            "title": "Involve residents and young people in shaping the plan through regular engagement",
            "guidance": (
                "Describe the engagement carried out, such as listening events, surveys and "
                "youth forums, who took part, and what changed in the plan as a result."
            ),
            "example": {
                "outcome": "At least 4 engagement events a year in the highest-harm wards, with a 'you said, we did' summary published",
                "baseline": "2020/21: 1 borough-wide online consultation; 140 responses",
                "progress": "Two ward listening events have been held, with over 90 residents attending. Feedback led to a new action on safe spaces.",
                "lead_role": "Community Engagement Officer",
                "lead_agency": "Council",
            },
        },
        {
            "code": "COM-M2",
            "kind": "mandatory",
            "title": "Fund and build the capacity of VCS and grassroots groups working on violence",
            "guidance": (
                "Name the groups funded or supported, including small community-led ones. "
                "Describe capacity-building help with bids, safeguarding and monitoring, and "
                "how VCS partners take part in partnership meetings."
            ),
            "example": {
                "outcome": "12 grassroots groups funded, with 90% meeting their agreed safeguarding standards",
                "baseline": "2020/21: 5 small grants awarded to community groups",
                "progress": "Nine grants awarded in round one. Safeguarding training has been provided to all funded groups.",
                "lead_role": "Voluntary Sector Partnerships Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "COM-M3",
            "kind": "mandatory",
            "title": "Have an agreed community response for after serious violence, including impact and tension assessments",
            "guidance": (
                "Explain who is told and how quickly after a serious incident, how community "
                "impact is assessed, and how reassurance, schools' messaging and support for "
                "young people are coordinated."
            ),
            "example": {
                "outcome": "Community impact assessment completed within 24 hours for every serious incident",
                "baseline": "2020/21: assessments completed within 24 hours for 9 of 15 critical incidents",
                "progress": "The response protocol was updated in August and tested in a tabletop exercise. The last four incidents were assessed within 24 hours.",
                "lead_role": "Community Safety Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "COM-M4",
            "kind": "mandatory",
            "title": "Build trust and confidence in policing through community scrutiny and open engagement",
            "guidance": (
                "Describe community scrutiny arrangements, such as stop and search monitoring and "
                "independent advisory groups, and how police respond to the concerns raised, "
                "especially those of young Black residents."
            ),
            "example": {
                "outcome": "Community scrutiny group reviews body-worn video and stop and search data every month",
                "baseline": "2020/21: scrutiny group met 5 times; no young people among its members",
                "progress": "Four young people have joined the scrutiny group. Reviews of body-worn video footage now take place at each meeting.",
                "lead_role": "Superintendent, Neighbourhoods",
                "lead_agency": "Metropolitan Police",
            },
        },
        {
            "code": "COM-O1",
            "kind": "optional",
            "title": "Deliver a place-based, community-led violence reduction project in a high-harm neighbourhood",
            "guidance": (
                "Name the neighbourhood and explain why it was chosen. Describe how local groups "
                "lead the design and delivery, and how change in the area will be measured over "
                "time."
            ),
            "example": {
                "outcome": "Violence with injury in the focus neighbourhood reduced by 15%, and more residents saying they feel safe",
                "baseline": "2020/21: 211 violence with injury offences in the focus area; 48% of residents feel safe after dark",
                "progress": "A consortium of five local organisations has been formed. Its delivery plan was agreed with residents in November.",
                "lead_role": "Neighbourhood Programme Lead",
                "lead_agency": "VCS partner",
            },
        },
        {
            "code": "COM-O2",
            "kind": "optional",
            "title": "Train trusted community members, such as faith leaders and business owners, to spot and respond to risk",
            "guidance": (
                "Say who has been trained, what the training covered (for example exploitation, "
                "first aid for bleeding, and how to refer), and how these people are kept involved."
            ),
            "example": {
                "outcome": "150 community members trained, with referrals to services from trained people recorded",
                "baseline": "2020/21: 0 community members trained",
                "progress": "Sixty-four people trained across faith groups and town-centre businesses. Six referrals have been made so far.",
                "lead_role": "Community Safety Officer",
                "lead_agency": "Council",
            },
        },
        {
            "code": "COM-O3",
            "kind": "optional",
            "title": "Set up a network of safe havens in shops and community venues where young people can get help",
            "guidance": (
                "List the venues signed up, the training and signage given, and how use of the safe havens is recorded."
            ),
            "example": {
                "outcome": "40 safe haven venues along main youth routes",
                "baseline": "2020/21: 12 safe haven venues, none trained in the past year",
                "progress": "Twenty-six venues signed up and trained. A map of the venues has been shared with schools.",
                "lead_role": "Town Centre Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "COM-O4",
            "kind": "optional",
            "title": "Invest in youth provision in the evenings and school holidays in high-need areas",
            "guidance": (
                "Describe the provision, when it opens, where it is and who attends. Show how "
                "opening times match the times when violence is highest."
            ),
            "example": {
                "outcome": "Open-access youth sessions on Friday and Saturday evenings in the 3 highest-harm wards",
                "baseline": "2020/21: youth provision in those wards closed after 7pm and at weekends",
                "progress": "Friday sessions running in two wards, with an average of 35 young people each week. The third ward opens in January.",
                "lead_role": "Youth Service Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "COM-O5",
            "kind": "optional",
            "title": "Give young people a direct say in commissioning violence reduction services",
            "guidance": (
                "Explain how young people take part in writing specifications, scoring bids or "
                "monitoring providers, and how they are trained and paid for their time."
            ),
            "example": {
                "outcome": "Young people sit on the evaluation panel for every new violence reduction contract",
                "baseline": "2020/21: 0 contracts with youth involvement in commissioning",
                "progress": "Six young commissioners trained. They helped score the new mentoring tender.",
                "lead_role": "Youth Participation Officer",
                "lead_agency": "Council",
            },
        },
    ],
}

# ---------------------------------------------------------------------------
# Theme 6: Supporting Victims of Violence and Vulnerability
# ---------------------------------------------------------------------------
_VIC = {
    "code": "VIC",
    "title": "Supporting Victims of Violence and Vulnerability",
    "description": (
        "Covers making sure victims of violence and people made vulnerable by exploitation are "
        "identified, referred and supported in a joined-up way. It includes support at "
        "'reachable moments' such as a hospital visit, and longer-term help with recovery and "
        "safety."
    ),
    "actions": [
        {
            "code": "VIC-M1",
            "kind": "mandatory",
            "title": "Set clear referral pathways so victims of violence, especially young victims, are offered support quickly",
            "guidance": (
                "Map the routes from police, health, schools and youth services into victim "
                "support. Give how many people are referred and how many take up support, and "
                "name any gaps."
            ),
            "example": {
                "outcome": "75% of young victims of violence with injury offered support within 5 working days",
                "baseline": "2020/21: 38% of under-25 victims of violence with injury referred to a support service",
                "progress": "A single referral form has been agreed with police and the victim service. Referral rates rose to 55% last quarter.",
                "lead_role": "Victims Services Coordinator",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VIC-M2",
            "kind": "mandatory",
            "title": "Place youth workers in A&E and major trauma settings to engage young people after violent injury",
            "guidance": (
                "Describe the hospital youth work service, its hours and how it receives "
                "referrals. Report how many young people were engaged and supported in the "
                "community afterwards, and how often they came back to hospital."
            ),
            "example": {
                "outcome": "60% of young people seen by the hospital youth workers engage with community support",
                "baseline": "2020/21: 186 young people aged 11-25 attended the local A&E with assault injuries",
                "progress": "The service now covers evenings up to midnight. Ninety-eight young people have been seen so far and 52 have engaged.",
                "lead_role": "Hospital Youth Work Lead",
                "lead_agency": "NHS",
            },
        },
        {
            "code": "VIC-M3",
            "kind": "mandatory",
            "title": "Treat exploited young people as victims, with NRM referrals and specialist support",
            "guidance": (
                "Explain how staff spot criminal and sexual exploitation, use the National "
                "Referral Mechanism and make sure young people receive support rather than only "
                "enforcement."
            ),
            "example": {
                "outcome": "All children identified as victims of criminal exploitation referred to the NRM, with decisions tracked",
                "baseline": "2020/21: 29 NRM referrals for children from the borough",
                "progress": "Training on the NRM has been given to police custody staff and social workers. Forty referrals have been made so far this year.",
                "lead_role": "Exploitation Service Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VIC-M4",
            "kind": "mandatory",
            "title": "Provide trauma-informed emotional and mental health support for young victims and witnesses",
            "guidance": (
                "Describe the therapeutic offer, how to get it and how long people wait. Explain "
                "how it links with CAMHS and school-based mental health support."
            ),
            "example": {
                "outcome": "Young victims start therapeutic support within 4 weeks of referral",
                "baseline": "2020/21: average wait of 11 weeks for trauma support",
                "progress": "A trauma practitioner has been placed in the youth justice service. The average wait has fallen to 6 weeks.",
                "lead_role": "CAMHS Service Manager",
                "lead_agency": "NHS",
            },
        },
        {
            "code": "VIC-M5",
            "kind": "mandatory",
            "title": "Support families, friends and witnesses affected by homicide and life-changing violence",
            "guidance": (
                "Describe how bereaved families and affected young people are contacted, which "
                "agencies provide support, and how schools and youth services are involved."
            ),
            "example": {
                "outcome": "Every family bereaved by homicide offered a support coordinator within 48 hours",
                "baseline": "2020/21: 6 homicides; support offered within 48 hours in 3 cases",
                "progress": "A response pathway has been agreed with the police family liaison lead and a bereavement charity.",
                "lead_role": "Community Safety Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VIC-O1",
            "kind": "optional",
            "title": "Offer safe relocation and housing support to victims and families at serious risk",
            "guidance": (
                "Describe how urgent moves are arranged, including moves to other London "
                "boroughs, how long they take, and the support given after the move."
            ),
            "example": {
                "outcome": "Urgent safety moves completed within 28 days of approval",
                "baseline": "2020/21: 14 safety moves; average 63 days from approval",
                "progress": "A fast-track panel with housing is now in place. The average time for the last five moves was 31 days.",
                "lead_role": "Housing Options Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VIC-O2",
            "kind": "optional",
            "title": "Help GPs and primary care staff to identify and refer patients affected by violence",
            "guidance": (
                "Describe training, clinical prompts and referral routes used in general "
                "practice, and how many referrals are made."
            ),
            "example": {
                "outcome": "20 GP practices trained, with referrals from primary care tracked every quarter",
                "baseline": "2020/21: 4 referrals to violence support services from primary care",
                "progress": "Eleven practices trained through protected learning time sessions. A referral template has been added to clinical systems.",
                "lead_role": "Named GP for Safeguarding",
                "lead_agency": "NHS",
            },
        },
        {
            "code": "VIC-O3",
            "kind": "optional",
            "title": "Support young people who experience robbery and repeat victimisation",
            "guidance": (
                "Explain how repeat victims are identified and offered practical and emotional "
                "support, and how their experience feeds into prevention and tasking."
            ),
            "example": {
                "outcome": "Repeat robbery victimisation among under-18s reduced by 20%",
                "baseline": "2020/21: 402 personal robberies of under-18s; 47 repeat victims",
                "progress": "Police now flag repeat victims to the youth victim service every week. Thirty young people have accepted support.",
                "lead_role": "Youth Victim Support Worker",
                "lead_agency": "VCS partner",
            },
        },
        {
            "code": "VIC-O4",
            "kind": "optional",
            "title": "Link the victim support offer to the borough's violence against women and girls strategy",
            "guidance": (
                "Show how young women and girls affected by violence or exploitation are "
                "identified and referred to specialist services, and how the two strategies are "
                "kept consistent."
            ),
            "example": {
                "outcome": "Shared referral pathway between youth violence and VAWG services agreed and in use",
                "baseline": "2020/21: 12 referrals of girls from youth violence services to VAWG services",
                "progress": "A joint pathway has been drafted with the VAWG coordinator. Sign-off is expected in the next quarter.",
                "lead_role": "VAWG Coordinator",
                "lead_agency": "Council",
            },
        },
    ],
}

# ---------------------------------------------------------------------------
# Theme 7: Positive Diversion from Violence
# ---------------------------------------------------------------------------
_DIV = {
    "code": "DIV",
    "title": "Positive Diversion from Violence",
    "description": (
        "Covers offering children and young people real alternatives before they are drawn "
        "into violence, and helping those already involved to move away from it. It includes "
        "custody-based diversion, mentoring, positive activities and routes into education "
        "and work."
    ),
    "actions": [
        {
            "code": "DIV-M1",
            "kind": "mandatory",
            "title": "Offer diversion support to young people in police custody at the point of arrest",
            "guidance": (
                "Describe the custody intervention for under-18s and young adults: who delivers "
                "it, when it is available, how many people take it up, and reoffending or "
                "education and training results."
            ),
            "example": {
                "outcome": "Half of young people offered custody diversion take up support, with lower reoffending at 12 months",
                "baseline": "2020/21: 310 arrests of 10-17-year-olds from the borough; no custody-based youth work offer",
                "progress": "Youth workers have covered the custody suite on weekday evenings since October. Forty-one young people have been engaged.",
                "lead_role": "Custody Diversion Coordinator",
                "lead_agency": "Youth Justice Service",
            },
        },
        {
            "code": "DIV-M2",
            "kind": "mandatory",
            "title": "Give young people at risk of violence access to a trusted mentor",
            "guidance": (
                "Describe the mentoring offer, how young people are referred and matched, how "
                "long support lasts, and measures such as engagement, school attendance and "
                "further offending."
            ),
            "example": {
                "outcome": "120 young people mentored each year, with 70% completing at least 6 months",
                "baseline": "2020/21: 64 young people mentored; 52% completion",
                "progress": "A second mentoring provider has been commissioned, including mentors with lived experience. There are 48 active matches.",
                "lead_role": "Early Intervention Manager",
                "lead_agency": "VCS partner",
            },
        },
        {
            "code": "DIV-M3",
            "kind": "mandatory",
            "title": "Use triage and out-of-court disposals to keep young people out of the formal justice system where suitable",
            "guidance": (
                "Explain how eligible young people are assessed, what intervention goes with the "
                "disposal, and what happens afterwards, including any disproportionality in "
                "who receives diversion."
            ),
            "example": {
                "outcome": "First-time entrants to the youth justice system reduced by 15%",
                "baseline": "2020/21: 74 first-time entrants",
                "progress": "A joint decision-making panel now meets every week. There have been 28 first-time entrants so far this year.",
                "lead_role": "Youth Justice Service Manager",
                "lead_agency": "Youth Justice Service",
            },
        },
        {
            "code": "DIV-M4",
            "kind": "mandatory",
            "title": "Provide positive activities after school, in the evenings and in the holidays for young people most at risk",
            "guidance": (
                "Describe the programme, including sport, arts and youth clubs, how it reaches "
                "young people who do not usually take part, and attendance by referred young "
                "people."
            ),
            "example": {
                "outcome": "300 referred young people take part in structured activities each year",
                "baseline": "2020/21: 160 referred young people attended commissioned activities",
                "progress": "The summer programme reached 210 young people, 85 of them referred by professionals.",
                "lead_role": "Youth Service Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "DIV-M5",
            "kind": "mandatory",
            "title": "Create routes into education, training and work for young people involved in or at risk of violence",
            "guidance": (
                "Describe employment support, apprenticeships and training places set aside for "
                "this group, links with employers, and how many people start and keep going."
            ),
            "example": {
                "outcome": "40 young people supported into training or work, with 60% still in place after 6 months",
                "baseline": "2020/21: 35% of youth justice cohort aged 16+ in education, training or employment",
                "progress": "Three local employers have signed up to offer work placements. Eighteen young people have started training.",
                "lead_role": "Employment and Skills Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "DIV-O1",
            "kind": "optional",
            "title": "Run sport-based diversion projects in high-harm neighbourhoods",
            "guidance": (
                "Describe the sessions, the coaches and their training, how young people at risk "
                "are reached, and the links to mentoring or other support."
            ),
            "example": {
                "outcome": "Weekly sessions in 4 neighbourhoods, with 25% of attendees referred for extra support",
                "baseline": "2020/21: 1 evening sports session in a high-harm area",
                "progress": "Three sites are running football and boxing sessions. The coaches have completed safeguarding training.",
                "lead_role": "Sports Development Officer",
                "lead_agency": "VCS partner",
            },
        },
        {
            "code": "DIV-O2",
            "kind": "optional",
            "title": "Provide intensive exit support for young people wanting to leave gangs or exploitation",
            "guidance": (
                "Describe the support, such as keyworking, family support, help with moving and "
                "with debt, who is eligible and how success is measured."
            ),
            "example": {
                "outcome": "Two-thirds of young people on the exit programme commit no further violent offences over 12 months",
                "baseline": "2020/21: 19 young people supported to exit; 11 with no further violent offending",
                "progress": "Caseworker capacity has increased to 25 places, and 17 young people are currently supported.",
                "lead_role": "Integrated Gangs Unit Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "DIV-O3",
            "kind": "optional",
            "title": "Offer early drug and alcohol support to young people linked to violence",
            "guidance": (
                "Describe how young people are identified and referred, for example from custody "
                "or school, and what treatment or harm reduction support they receive."
            ),
            "example": {
                "outcome": "Referrals to young people's substance misuse services from criminal justice routes up 50%",
                "baseline": "2020/21: 42 criminal justice referrals to young people's substance misuse service",
                "progress": "A substance misuse worker now sits in the youth justice team two days a week.",
                "lead_role": "Young People's Substance Misuse Lead",
                "lead_agency": "NHS",
            },
        },
        {
            "code": "DIV-O4",
            "kind": "optional",
            "title": "Support young adults aged 18 to 25 moving from youth to adult services",
            "guidance": (
                "Explain how young people are handed over from youth justice and children's "
                "services to probation and adult services, and what extra support young adults "
                "receive."
            ),
            "example": {
                "outcome": "Every young person moving to probation has a joint handover meeting",
                "baseline": "2020/21: 22 transfers to probation; 9 with a joint handover",
                "progress": "A transitions protocol has been agreed with probation. Joint handovers have taken place in the last seven cases.",
                "lead_role": "Probation Senior Officer",
                "lead_agency": "Probation Service",
            },
        },
    ],
}

THEMES_2021: list[dict] = [_GOV, _ANE, _WPN, _SYP, _COM, _VIC, _DIV]

# ---------------------------------------------------------------------------
# Eighth theme added by London after 2021
# ---------------------------------------------------------------------------
VAWG_THEME: dict = {
    "code": "VAWG",
    "title": "Tackling Violence Against Women and Girls",
    "description": (
        "Added to the London template after 2021 so that violence against women and girls is "
        "planned for alongside other serious violence. It covers preventing this violence, "
        "making public spaces safer, specialist support for survivors and holding "
        "perpetrators to account."
    ),
    "actions": [
        {
            "code": "VAWG-M1",
            "kind": "mandatory",
            "title": "Align this plan with the borough's VAWG strategy and name a VAWG lead on the CSP board",
            "guidance": (
                "Name the strategic lead and the governance route for VAWG. Show how shared "
                "priorities, data and commissioning are coordinated across the two plans."
            ),
            "example": {
                "outcome": "VAWG strategy and violence plan reviewed together every year, with a shared set of performance measures",
                "baseline": "2021/22: VAWG strategy reported to a separate board with no cross-reporting to the CSP",
                "progress": "The VAWG lead now sits on the CSP board. A shared measures dashboard is in development.",
                "lead_role": "VAWG Strategic Lead",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VAWG-M2",
            "kind": "mandatory",
            "title": "Make public spaces safer for women and girls using safety audits and their feedback",
            "guidance": (
                "Describe how women and girls report places where they feel unsafe, for example "
                "through audits, walkabouts and online mapping. List the changes made, such as "
                "lighting and patrols."
            ),
            "example": {
                "outcome": "Safety improvements made at the 10 places women and girls most often report as unsafe",
                "baseline": "2021/22 survey: 61% of women said they feel unsafe in the town centre after dark",
                "progress": "Six walkabouts have been held with local women's groups. Lighting upgrades have been ordered for four locations.",
                "lead_role": "Community Safety Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VAWG-M3",
            "kind": "mandatory",
            "title": "Make sure survivors can get specialist advocacy, including IDVA and ISVA support, through clear referral routes",
            "guidance": (
                "Give advocacy capacity, waiting times and referral numbers. Explain links with "
                "MARAC and how support is made accessible for groups less likely to come forward."
            ),
            "example": {
                "outcome": "High-risk survivors contacted by an IDVA within 2 working days of referral",
                "baseline": "2021/22: 540 MARAC cases; median first contact 4 working days",
                "progress": "Two extra IDVA posts have been recruited. The median time to first contact is now 2.5 days.",
                "lead_role": "Domestic Abuse Services Manager",
                "lead_agency": "VCS partner",
            },
        },
        {
            "code": "VAWG-M4",
            "kind": "mandatory",
            "title": "Teach healthy relationships, consent and challenging misogyny in schools and youth settings",
            "guidance": (
                "Describe the programme, which schools and youth settings deliver it, staff "
                "training, and how changes in pupils' attitudes or disclosures are measured."
            ),
            "example": {
                "outcome": "Every secondary school delivers a healthy relationships programme that includes work with boys",
                "baseline": "2021/22: 7 of 17 secondary schools delivering a structured programme",
                "progress": "Eleven schools are signed up and 30 staff have been trained. A pupil attitude survey is being designed.",
                "lead_role": "PSHE Adviser",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VAWG-M5",
            "kind": "mandatory",
            "title": "Target the most harmful perpetrators of VAWG with enforcement and behaviour-change work",
            "guidance": (
                "Explain how high-harm and serial perpetrators are identified and managed "
                "across agencies. Describe the perpetrator programmes on offer and how they "
                "keep survivors safe."
            ),
            "example": {
                "outcome": "Reoffending reduced by 30% among managed high-harm perpetrators",
                "baseline": "2021/22: 40 high-harm perpetrators identified; 26 reoffended within 12 months",
                "progress": "A multi-agency perpetrator panel has started. Twelve perpetrators have been referred to a behaviour-change programme.",
                "lead_role": "Detective Inspector, Public Protection",
                "lead_agency": "Metropolitan Police",
            },
        },
        {
            "code": "VAWG-O1",
            "kind": "optional",
            "title": "Train night-time economy and transport staff to recognise harassment and step in safely",
            "guidance": (
                "Say which venues and staff groups have been trained, what the training covers "
                "and how incidents and interventions are recorded."
            ),
            "example": {
                "outcome": "75% of licensed premises in the town centre have trained staff",
                "baseline": "2021/22: 9 of 58 licensed premises with trained staff",
                "progress": "Twenty-three venues have been trained. Training is now a condition on two new licences.",
                "lead_role": "Licensing Team Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VAWG-O2",
            "kind": "optional",
            "title": "Support girls and young women affected by gang-associated violence and exploitation",
            "guidance": (
                "Describe specialist support for girls, how they are identified (they are often "
                "missed by services designed around boys) and links with the exploitation panel."
            ),
            "example": {
                "outcome": "All girls discussed at the exploitation panel offered gender-specific support",
                "baseline": "2021/22: 19 girls discussed at the exploitation panel; 5 received specialist support",
                "progress": "A girls' worker has been commissioned from a VCS partner and 11 girls are currently supported.",
                "lead_role": "Exploitation Service Manager",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VAWG-O3",
            "kind": "optional",
            "title": "Raise awareness of harmful practices, such as FGM, forced marriage and honour-based abuse, and improve the response",
            "guidance": (
                "Describe training for professionals and community engagement, and how cases are "
                "identified and safeguarded."
            ),
            "example": {
                "outcome": "300 professionals trained in harmful practices, with referrals monitored",
                "baseline": "2021/22: 14 harmful practice referrals to children's social care",
                "progress": "Ninety professionals trained. Two community sessions have been held with a women's organisation.",
                "lead_role": "Safeguarding Adviser",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VAWG-O4",
            "kind": "optional",
            "title": "Engage men and boys in challenging misogyny through community and sports settings",
            "guidance": (
                "Describe campaigns or programmes aimed at men and boys, who delivers them and "
                "how reach and changes in attitude are measured."
            ),
            "example": {
                "outcome": "500 men and boys take part in sessions, with measured changes in attitude",
                "baseline": "2021/22: no programme aimed at men and boys",
                "progress": "Two football clubs have agreed to host sessions. A pilot with 40 young men has finished.",
                "lead_role": "VAWG Coordinator",
                "lead_agency": "Council",
            },
        },
        {
            "code": "VAWG-O5",
            "kind": "optional",
            "title": "Put a workplace domestic abuse and sexual harassment policy in place across partner organisations",
            "guidance": (
                "Say which partners have adopted a policy, how staff are trained as workplace "
                "champions and how employees are told about the support available."
            ),
            "example": {
                "outcome": "All statutory partners have a workplace policy and trained champions",
                "baseline": "2021/22: 2 of 6 statutory partners with a current policy",
                "progress": "The council and the NHS trust have refreshed their policies. Thirty-five workplace champions have been trained.",
                "lead_role": "HR Policy Manager",
                "lead_agency": "Council",
            },
        },
    ],
}

# ---------------------------------------------------------------------------
# 2022 template revision
# ---------------------------------------------------------------------------
RETIRED_IN_2022: list[str] = [
    # Retired because London added VAWG as a separate eighth theme, and its mandatory
    # VAWG-M1 now covers aligning the plan with the borough VAWG strategy.
    "VIC-O4",
    # Retired because corrosive substance checks became routine Trading Standards work
    # after the Offensive Weapons Act 2019 age restrictions. Boroughs now report them under
    # the test-purchasing action (WPN-M1).
    "WPN-O3",
]

NEW_ACTIONS_2022: dict[str, list[dict]] = {
    "ANE": [
        {
            "code": "ANE-O5",
            "kind": "optional",
            "title": "Share analysis and coordinate tasking with neighbouring boroughs on violence that crosses borough boundaries",
            "guidance": (
                "Name the neighbouring boroughs and BCU partners involved, the data and "
                "intelligence shared, and any joint operations or problem-solving plans along "
                "shared borders and transport routes."
            ),
            "example": {
                "outcome": "Cross-border tasking every quarter with both neighbouring boroughs, and a shared profile of violence along border routes",
                "baseline": "2021/22: 23% of knife crime with injury suspects lived outside the borough; no joint tasking",
                "progress": "The first joint tasking meeting was held in June. A shared profile of two bus corridors has been commissioned.",
                "lead_role": "Community Safety Analyst",
                "lead_agency": "Council",
            },
        },
    ],
    "DIV": [
        {
            "code": "DIV-O5",
            "kind": "optional",
            "title": "Offer family-focused diversion support to younger siblings of young people involved in violence",
            "guidance": (
                "Describe how younger siblings are identified, for example through youth justice "
                "and social care caseloads, and the early help, mentoring or activities offered "
                "to them and their parents."
            ),
            "example": {
                "outcome": "80% of identified younger siblings offered early help within 1 month",
                "baseline": "2021/22: 37 younger siblings of youth justice cohort identified; 10 receiving support",
                "progress": "A sibling check has been added to youth justice assessments. Twenty-one families have been referred to early help.",
                "lead_role": "Early Help Manager",
                "lead_agency": "Council",
            },
        },
    ],
}

# ---------------------------------------------------------------------------
# Demo material (SYNTHETIC): borough-specific local actions and progress sentences
# ---------------------------------------------------------------------------
LOCAL_ACTION_EXAMPLES: list[dict] = [
    {
        "theme": "GOV",
        "title": "Hold a joint annual session of the CSP and the Health and Wellbeing Board on violence",
        "description": "A yearly joint meeting of both boards to review the violence profile and agree shared priorities for the coming year.",
        "outcome": "Shared priorities agreed and included in both boards' forward plans",
        "baseline": "2021/22: boards have never met jointly",
        "progress": "The date is set for February and public health is preparing the data pack.",
    },
    {
        "theme": "ANE",
        "title": "Produce a problem profile of violence around the high street and its bus interchange",
        "description": "Detailed analysis of violence by time, place and the people involved around the main high street, to guide tasking and design changes.",
        "outcome": "Problem profile finished and its recommendations taken on by tasking",
        "baseline": "2020/21: 97 violence with injury offences within 300m of the interchange",
        "progress": "Data has been collected from police, TfL and the ambulance service. The draft profile is due next month.",
    },
    {
        "theme": "WPN",
        "title": "Run a knife surrender scheme with local mosques, churches and gurdwaras",
        "description": "Faith venues take part in surrender weeks so that people can hand in weapons somewhere they trust, not only at a police station.",
        "outcome": "At least 5 faith venues taking part in every surrender week",
        "baseline": "2020/21: surrender only possible at 1 police front counter",
        "progress": "Four faith venues have signed up and volunteers have had safe-handling briefings.",
    },
    {
        "theme": "WPN",
        "title": "Sign up market traders to a responsible retailer agreement on knife sales",
        "description": "Traders at the borough's street markets who sell kitchenware agree to carry out age checks and keep blades secure.",
        "outcome": "All market traders selling blades signed up and passing test purchases",
        "baseline": "2020/21: 3 of 5 test purchases at market stalls failed",
        "progress": "Eleven traders have signed up. Follow-up test purchases are booked for the next quarter.",
    },
    {
        "theme": "SYP",
        "title": "Pilot an in-school inclusion worker in the three secondary schools with the highest exclusion rates",
        "description": "Youth workers based in schools work with pupils at risk of exclusion and their families, with quick access to early help.",
        "outcome": "Permanent exclusions in the pilot schools halved",
        "baseline": "2019/20 academic year: 12 permanent exclusions across the three schools",
        "progress": "Workers are in post in two schools and the third starts after half term. Forty pupils are on caseloads.",
    },
    {
        "theme": "SYP",
        "title": "Set up a peer support group for parents whose children are being exploited",
        "description": "A group run by parents, supported by a VCS partner, offering peer support, advice on dealing with professionals and information about exploitation.",
        "outcome": "Monthly group with 15 or more regular members, and higher confidence reported by parents",
        "baseline": "2020/21: no peer support offer for parents of exploited children",
        "progress": "Three meetings held with an average of nine parents. A parent co-chair has been elected.",
    },
    {
        "theme": "COM",
        "title": "Run a residents' safety partnership on the Northfield estate",
        "description": "Residents, housing, police and youth services meet every month on the estate to agree and check local safety actions.",
        "outcome": "Violence on the estate down 20% and more residents saying they feel safe",
        "baseline": "2020/21: 58 violence with injury offences on the estate",
        "progress": "The partnership has met five times. Lighting and door-entry repairs were finished after residents raised them.",
    },
    {
        "theme": "COM",
        "title": "Give small grants to youth-led projects tackling violence",
        "description": "A small grants fund where young people decide which community projects to fund.",
        "outcome": "10 youth-led projects funded and finished each year",
        "baseline": "2020/21: 0 grants decided by young people",
        "progress": "The youth panel has chosen six projects in the first round. Grant agreements are being issued.",
    },
    {
        "theme": "VIC",
        "title": "Extend hospital youth work to the urgent treatment centre at weekends",
        "description": "The hospital youth work team works Friday and Saturday nights at the urgent treatment centre, where many minor assault injuries are seen.",
        "outcome": "Youth workers engage 50% more young people with assault injuries",
        "baseline": "2020/21: 41 young people engaged at the urgent treatment centre",
        "progress": "Weekend cover started in October. Twenty-two young people have been engaged so far.",
    },
    {
        "theme": "VIC",
        "title": "Add a support offer for young witnesses to the post-incident response in schools",
        "description": "After a serious incident, affected pupils and witnesses are offered group and one-to-one support through the school.",
        "outcome": "Support offered in schools within 3 school days after every serious incident",
        "baseline": "2020/21: school-based support offered after 2 of 7 serious incidents",
        "progress": "A protocol has been agreed with headteachers. It was used after two incidents this term.",
    },
    {
        "theme": "DIV",
        "title": "Offer a boxing and mentoring programme for young people referred by the youth justice service",
        "description": "A local boxing club runs weekly sessions combined with one-to-one mentoring for young people referred by professionals.",
        "outcome": "25 young people finish the 12-week programme with improved wellbeing scores",
        "baseline": "2020/21: 8 youth justice referrals to sport-based provision",
        "progress": "The first group of 12 young people is halfway through. Attendance is at 80%.",
    },
    {
        "theme": "DIV",
        "title": "Ring-fence council apprenticeships for young people leaving the youth justice system",
        "description": "A set number of council apprenticeships, with pre-employment support and a workplace mentor, for young people with youth justice involvement.",
        "outcome": "6 apprenticeships filled each year, with 4 completed",
        "baseline": "2020/21: 0 apprenticeships ring-fenced",
        "progress": "Four apprenticeships have been agreed with services and two young people have started their pre-employment programme.",
    },
    {
        "theme": "VAWG",
        "title": "Carry out women's safety walkabouts in parks and along the canal towpath",
        "description": "Evening walkabouts with local women and girls to find places they feel unsafe and agree improvements with the parks and highways teams.",
        "outcome": "Improvements made at the priority locations, and women reporting that they feel safer",
        "baseline": "2021/22: 38 reports of harassment in parks and on the towpath",
        "progress": "Three walkabouts have been held. Vegetation has been cut back and two new lights have been installed.",
    },
]

PROGRESS_UPDATES: list[str] = [
    "On track. All milestones for this quarter were met.",
    "Delivery has started and early figures are encouraging. A fuller update will follow next quarter.",
    "Delayed by staff vacancies. Recruitment is under way and the timescale has been revised.",
    "The partnership meeting agreed the approach, and the lead agency is drafting an implementation plan.",
    "Data for this quarter is still being checked. The figures reported are provisional.",
    "Funding has been confirmed to the end of the financial year. Options for longer-term funding are being explored.",
    "Activity was paused during the school holidays and restarted in September.",
    "Referral numbers are lower than expected. Partners have been reminded of the referral route.",
    "The target for the year has already been exceeded. We are looking at whether to raise it.",
    "A review of the service has been commissioned. Findings are due at the next board meeting.",
    "The information sharing issues that held up progress have been resolved. Delivery is back on schedule.",
    "Training has been delivered to frontline staff and evaluation forms are being analysed.",
    "The contract has been awarded and the provider is mobilising. Delivery starts next month.",
    "Feedback from young people has been positive, and case studies will go to the board.",
    "The action has been merged with related work in the safeguarding partnership plan to avoid duplication.",
    "Performance has dipped this quarter after a rise in local incidents. Tasking has been stepped up.",
    "Terms of reference are agreed and the group has held its first meeting.",
    "Awaiting sign-off from one partner agency before the next stage can begin.",
    "Pilot finished. The partnership will decide in the next quarter whether to continue and expand it.",
    "Rated amber: the work is progressing but the outcome measure is not yet moving as planned.",
    "Rated green: delivery and outcomes are in line with the plan.",
    "Rated red: the lead post is vacant and an interim lead is being agreed.",
]


# ---------------------------------------------------------------------------
# Self-check (call manually; not run at import)
# ---------------------------------------------------------------------------
def validate() -> bool:
    """Assert the structural rules for this module's data. Returns True if all checks pass."""
    import re

    expected_order = ["GOV", "ANE", "WPN", "SYP", "COM", "VIC", "DIV"]
    expected_titles = {
        "GOV": "Governance",
        "ANE": "Analysis and Enforcement",
        "WPN": "Reducing Access to Weapons",
        "SYP": "Safeguarding and Educating Young People",
        "COM": "Working with Communities and Neighbourhoods to Reduce Violence",
        "VIC": "Supporting Victims of Violence and Vulnerability",
        "DIV": "Positive Diversion from Violence",
        "VAWG": "Tackling Violence Against Women and Girls",
    }
    example_keys = {"outcome", "baseline", "progress", "lead_role", "lead_agency"}
    action_keys = {"code", "kind", "title", "guidance", "example"}

    assert isinstance(THEMES_2021, list) and len(THEMES_2021) == 7, "THEMES_2021 must have 7 themes"
    assert [t["code"] for t in THEMES_2021] == expected_order, "theme order/codes mismatch"

    seen_codes: set[str] = set()

    def check_action(action: dict, theme_code: str) -> None:
        assert set(action) == action_keys, f"{action.get('code')}: keys {sorted(action)}"
        code = action["code"]
        m = re.fullmatch(rf"{theme_code}-([MO])([1-9][0-9]*)", code)
        assert m, f"bad action code format: {code}"
        kind = {"M": "mandatory", "O": "optional"}[m.group(1)]
        assert action["kind"] == kind, f"{code}: kind {action['kind']!r} does not match code"
        assert code not in seen_codes, f"duplicate action code: {code}"
        seen_codes.add(code)
        title = action["title"]
        assert title.strip() and len(title) <= 120, f"{code}: title empty or > 120 chars ({len(title)})"
        assert action["guidance"].strip(), f"{code}: empty guidance"
        ex = action["example"]
        assert set(ex) == example_keys, f"{code}: example keys {sorted(ex)}"
        assert all(isinstance(v, str) and v.strip() for v in ex.values()), f"{code}: empty example field"
        assert re.search(r"\d", ex["baseline"]), f"{code}: baseline needs a number"

    def check_theme(theme: dict, min_m: int, min_o: int) -> None:
        code = theme["code"]
        assert set(theme) == {"code", "title", "description", "actions"}, f"{code}: theme keys"
        assert theme["title"] == expected_titles[code], f"{code}: title mismatch"
        assert theme["description"].strip(), f"{code}: empty description"
        for a in theme["actions"]:
            check_action(a, code)
        for prefix, minimum in (("M", min_m), ("O", min_o)):
            nums = [int(a["code"].split("-")[1][1:]) for a in theme["actions"] if a["code"].split("-")[1][0] == prefix]
            assert len(nums) >= minimum, f"{code}: {len(nums)} {prefix} actions < {minimum}"
            assert nums == list(range(1, len(nums) + 1)), f"{code}: {prefix} numbering not 1..n in order"

    for theme in THEMES_2021:
        if theme["code"] == "SYP":
            check_theme(theme, 6, 6)
        else:
            check_theme(theme, 4, 4)
    assert VAWG_THEME["code"] == "VAWG"
    check_theme(VAWG_THEME, 4, 4)

    codes_2021 = {a["code"]: a for t in THEMES_2021 for a in t["actions"]}

    assert 1 <= len(RETIRED_IN_2022) <= 2, "RETIRED_IN_2022 must list 1-2 codes"
    assert len(set(RETIRED_IN_2022)) == len(RETIRED_IN_2022), "duplicate retired codes"
    for code in RETIRED_IN_2022:
        assert code in codes_2021, f"retired code {code} not in THEMES_2021"
        assert codes_2021[code]["kind"] == "optional", f"retired code {code} must be optional"

    assert 1 <= len(NEW_ACTIONS_2022) <= 2, "NEW_ACTIONS_2022 must cover 1-2 themes"
    theme_by_code = {t["code"]: t for t in THEMES_2021}
    for theme_code, actions in NEW_ACTIONS_2022.items():
        assert theme_code in theme_by_code, f"NEW_ACTIONS_2022: unknown theme {theme_code}"
        assert len(actions) == 1, f"NEW_ACTIONS_2022[{theme_code}] must hold exactly 1 action"
        existing_o = [a for a in theme_by_code[theme_code]["actions"] if a["kind"] == "optional"]
        for offset, action in enumerate(actions, start=1):
            check_action(action, theme_code)
            assert action["kind"] == "optional", f"{action['code']}: new 2022 actions must be optional"
            assert action["code"] == f"{theme_code}-O{len(existing_o) + offset}", (
                f"{action['code']}: must continue optional numbering"
            )

    valid_themes = set(expected_order) | {"VAWG"}
    assert 10 <= len(LOCAL_ACTION_EXAMPLES) <= 15, "expected about 12 local action examples"
    local_keys = {"theme", "title", "description", "outcome", "baseline", "progress"}
    for item in LOCAL_ACTION_EXAMPLES:
        assert set(item) == local_keys, f"local action keys {sorted(item)}"
        assert item["theme"] in valid_themes, f"local action theme {item['theme']}"
        assert all(isinstance(v, str) and v.strip() for v in item.values()), "empty local action field"
        assert len(item["title"]) <= 120, f"local action title too long: {item['title']}"
        assert re.search(r"\d", item["baseline"]), f"local action baseline needs a number: {item['title']}"

    assert 18 <= len(PROGRESS_UPDATES) <= 25, "expected about 20 progress updates"
    assert len(set(PROGRESS_UPDATES)) == len(PROGRESS_UPDATES), "duplicate progress updates"
    assert all(isinstance(s, str) and s.strip() for s in PROGRESS_UPDATES)

    return True
