def complete_content(**overrides):
    from datetime import date

    data = {
        "outcome": "Fewer knife injuries among under-25s",
        "baseline": "2020/21: 120 offences",
        "lead_name": "Sam Patel",
        "lead_role": "Community Safety Manager",
        "lead_agency": "Council",
        "start_date": date(2021, 4, 1),
        "start_estimated": False,
        "end_date": date(2022, 3, 31),
        "end_estimated": True,
        "progress": "Under way",
        "comments": "",
        "status": "green",
    }
    return data | overrides
