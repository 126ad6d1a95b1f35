"""Reference data for London: its VRU, partners, the Metropolitan Police's BCUs and the 32 boroughs."""

LONDON_VRU = {"code": "VRU-LDN", "name": "London Violence Reduction Unit"}
LONDON_COUNCILS = {"code": "LC", "name": "London Councils"}
# London's local policing body (the Mayor, through MOPAC): monitors the Serious Violence Duty (s.14, s.17).
MOPAC = {"code": "MOPAC", "name": "Mayor's Office for Policing and Crime"}
MET_POLICE = {"code": "E23000001", "name": "Metropolitan Police Service"}

# BCU short code -> (name, borough ONS codes it covers)
BCUS: dict[str, tuple[str, list[str]]] = {
    "AW": ("Central West BCU", ["E09000033", "E09000020", "E09000013"]),
    "CN": ("Central North BCU", ["E09000007", "E09000019"]),
    "AS": ("Central South BCU", ["E09000022", "E09000028"]),
    "CE": ("Central East BCU", ["E09000012", "E09000030"]),
    "NW": ("North West BCU", ["E09000003", "E09000005", "E09000015"]),
    "NA": ("North Area BCU", ["E09000010", "E09000014"]),
    "NE": ("North East BCU", ["E09000025", "E09000031"]),
    "EA": ("East Area BCU", ["E09000002", "E09000016", "E09000026"]),
    "SE": ("South East BCU", ["E09000004", "E09000011", "E09000023"]),
    "SN": ("South Area BCU", ["E09000006", "E09000008", "E09000029"]),
    "SW": ("South West BCU", ["E09000021", "E09000024", "E09000027", "E09000032"]),
    "WA": ("West Area BCU", ["E09000009", "E09000017", "E09000018"]),
}

BOROUGHS: dict[str, str] = {
    "E09000002": "Barking and Dagenham",
    "E09000003": "Barnet",
    "E09000004": "Bexley",
    "E09000005": "Brent",
    "E09000006": "Bromley",
    "E09000007": "Camden",
    "E09000008": "Croydon",
    "E09000009": "Ealing",
    "E09000010": "Enfield",
    "E09000011": "Greenwich",
    "E09000012": "Hackney",
    "E09000013": "Hammersmith and Fulham",
    "E09000014": "Haringey",
    "E09000015": "Harrow",
    "E09000016": "Havering",
    "E09000017": "Hillingdon",
    "E09000018": "Hounslow",
    "E09000019": "Islington",
    "E09000020": "Kensington and Chelsea",
    "E09000021": "Kingston upon Thames",
    "E09000022": "Lambeth",
    "E09000023": "Lewisham",
    "E09000024": "Merton",
    "E09000025": "Newham",
    "E09000026": "Redbridge",
    "E09000027": "Richmond upon Thames",
    "E09000028": "Southwark",
    "E09000029": "Sutton",
    "E09000030": "Tower Hamlets",
    "E09000031": "Waltham Forest",
    "E09000032": "Wandsworth",
    "E09000033": "Westminster",
}

# Each borough's ONS Community Safety Partnership code (the boroughs keep their district code as their code).
CSP_CODES: dict[str, str] = {
    "E09000002": "E22000186",
    "E09000003": "E22000187",
    "E09000004": "E22000188",
    "E09000005": "E22000189",
    "E09000006": "E22000190",
    "E09000007": "E22000191",
    "E09000008": "E22000193",
    "E09000009": "E22000194",
    "E09000010": "E22000195",
    "E09000011": "E22000196",
    "E09000012": "E22000197",
    "E09000013": "E22000198",
    "E09000014": "E22000199",
    "E09000015": "E22000200",
    "E09000016": "E22000201",
    "E09000017": "E22000202",
    "E09000018": "E22000203",
    "E09000019": "E22000204",
    "E09000020": "E22000205",
    "E09000021": "E22000206",
    "E09000022": "E22000207",
    "E09000023": "E22000208",
    "E09000024": "E22000209",
    "E09000025": "E22000210",
    "E09000026": "E22000211",
    "E09000027": "E22000212",
    "E09000028": "E22000213",
    "E09000029": "E22000214",
    "E09000030": "E22000215",
    "E09000031": "E22000216",
    "E09000032": "E22000217",
    "E09000033": "E22000192",
}
