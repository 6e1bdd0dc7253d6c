"""An ECS task definition checked against the ECS API's own model, offline, as AWS's clients check it
before they send it: botocore's ParamValidator over RegisterTaskDefinition's input shape (member
names, types, required members, lengths and minimums), and then the model's enums, which
ParamValidator leaves to the service ("condition": "healthy" passes the client and fails in ECS).

    python3 tests/docker/ecs_model.py FILE...      prints each problem; exit 1 if there is one

Debian's python3-botocore ships the model (botocore/data/ecs/*/service-2.json); nothing is fetched.
"""
import json
import sys

import botocore.session
import botocore.validate

_model = None


def model():
    """The ECS service model botocore ships."""
    global _model
    if _model is None:
        _model = botocore.session.get_session().get_service_model("ecs")
    return _model


def shape(name="RegisterTaskDefinition"):
    """An operation's input shape, or a named shape ("ContainerDefinition")."""
    m = model()
    if name in m.operation_names:
        return m.operation_model(name).input_shape
    return m.shape_for(name)


def _enums(value, sh, path, out):
    """Appends a line for every string outside its shape's enum, walking value along sh."""
    if sh is None:
        return
    if sh.type_name == "structure" and isinstance(value, dict):
        for k, v in value.items():
            if k in sh.members:
                _enums(v, sh.members[k], f"{path}.{k}" if path else k, out)
    elif sh.type_name == "list" and isinstance(value, list):
        for i, v in enumerate(value):
            _enums(v, sh.member, f"{path}[{i}]", out)
    elif sh.type_name == "map" and isinstance(value, dict):
        for k, v in value.items():
            _enums(k, sh.key, f"{path} key", out)
            _enums(v, sh.value, f"{path}.{k}", out)
    elif sh.type_name == "string" and isinstance(value, str) and sh.enum and value not in sh.enum:
        out.append(f'Invalid value for parameter {path}, value: "{value}", must be one of: {", ".join(sh.enum)}')


def problems(params, sh=None, partial=False):
    """botocore's findings and the enum findings for params, one line each; [] when valid.

    partial: params is an excerpt (a README snippet), so a required member it leaves out is not a
    problem; everything it holds is still checked.
    """
    sh = sh or shape()
    report = botocore.validate.ParamValidator().validate(params, sh)
    # ValidationErrors keeps its findings as (type, name, details); there is no public iterator.
    errors = [e for e in report._errors if not (partial and e[0] == "missing required field")]
    out = [report._format_error(e) for e in errors]
    _enums(params, sh, "", out)
    return out


if __name__ == "__main__":
    bad = 0
    for path in sys.argv[1:]:
        with open(path) as f:
            found = problems(json.load(f))
        for p in found:
            print(f"{path}: {p}")
        bad += len(found)
    sys.exit(1 if bad else 0)
