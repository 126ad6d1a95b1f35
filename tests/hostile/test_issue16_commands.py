

@pytest.mark.django_db
@pytest.mark.parametrize("code", ["x'); DROP TABLE istv; --", "../../etc/passwd", "V" * 5000, "VRU-LDN\x00"])
def test_load_istv_refuses_a_crafted_vru_with_or_without_vrus_on_the_service(tmp_path, code):
    from vrhub.evidence.synthetic import write_istv

    settings_path = tmp_path / "evidence.duckdb"
    path = write_istv(path=tmp_path / "x.csv", site_code="RJ122", lsoas=[], start=dt.date(2024, 1, 1), months=1)
    from django.test import override_settings

    with override_settings(EVIDENCE_DUCKDB=str(settings_path)):
        with pytest.raises(CommandError, match="is not a VRU code"):
            call_command("load_istv", str(path), "--vru", code, "--quiet", stdout=StringIO())
    assert not settings_path.exists()
