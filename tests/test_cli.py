from helpers.__main__ import main


def test_status_command_prints_table(capsys):
    assert main(["status"]) == 0
    assert "NSMC" in capsys.readouterr().out


def test_unknown_command_is_usage_error(capsys):
    assert main(["bogus"]) == 2
    assert "usage" in capsys.readouterr().err
