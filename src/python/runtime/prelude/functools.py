
# ----- functools, dataclasses ------------------------------------------------------------------

def functools__wraps(wrapped):
    # Lib/functools.py update_wrapper: the wrapper takes the wrapped function's name and
    # docs, its attributes, and remembers it as __wrapped__.
    def decorator(wrapper):
        for attr in ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__"):
            try:
                value = getattr(wrapped, attr)
            except AttributeError:
                pass
            else:
                setattr(wrapper, attr, value)
        for k, v in getattr(wrapped, "__dict__", {}).items():
            setattr(wrapper, k, v)
        wrapper.__wrapped__ = wrapped
        return wrapper
    return decorator


_MISSING = _object("MISSING")
_HAS_DEFAULT_FACTORY = _object("_HAS_DEFAULT_FACTORY")
_created = {"n": 0}


def dataclasses__field(*, default=_MISSING, default_factory=_MISSING, init=True, repr=True,
                       compare=True):
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return _object("Field", default=default, default_factory=default_factory, init=init,
                   repr=repr, compare=compare, name=None)


def dataclasses__dataclass(cls=None, *, init=True, repr=True, eq=True, order=False,
                           frozen=False):
    # Lib/dataclasses.py: the class's annotated names are its fields; __init__, __repr__,
    # __eq__ (and the orderings) are written as source text and compiled, as CPython does.
    def wrap(cls):
        if frozen:
            raise TypeError("dataclass(frozen=True) is not supported by the kitchen")
        return _process_class(cls, init, repr, eq, order)
    if cls is None:
        return wrap
    return wrap(cls)


def _dataclass_fields(cls):
    fields = []
    for base in reversed(cls.__mro__[1:]):
        fields.extend(getattr(base, "__dataclass_fields__", {}).values())
    for name, annotation in getattr(cls, "__annotations__", {}).items():
        if annotation.startswith("ClassVar") or annotation.startswith("typing.ClassVar"):
            continue
        default = getattr(cls, name, _MISSING)
        if type(default).__name__ == "Field":
            f = default
            if f.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        else:
            f = dataclasses__field(default=default)
        f.name = name
        fields = [g for g in fields if g.name != name]
        fields.append(f)
    return fields


def _process_class(cls, init, repr, eq, order):
    fields = _dataclass_fields(cls)
    seen_default = False
    for f in fields:
        if f.init:
            if f.default is not _MISSING or f.default_factory is not _MISSING:
                seen_default = True
            elif seen_default:
                raise TypeError(f"non-default argument '{f.name}' follows default argument")
    cls.__dataclass_fields__ = {f.name: f for f in fields}
    names = []
    source = []
    if init:
        names.append("__init__")
        source.append(_dataclass_init(cls, fields))
    if repr:
        shown = ", ".join([f"{f.name}={{self.{f.name}!r}}" for f in fields if f.repr])
        names.append("__repr__")
        source.append("  def __repr__(self):\n"
                      f"    return self.__class__.__qualname__ + f\"({shown})\"\n")
    compared = [f for f in fields if f.compare]
    mine = "(" + "".join([f"self.{f.name}," for f in compared]) + ")"
    theirs = "(" + "".join([f"other.{f.name}," for f in compared]) + ")"
    ops = []
    if eq:
        ops.append(("__eq__", "=="))
    if order:
        ops.extend([("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">=")])
    for name, op in ops:
        names.append(name)
        source.append(f"  def {name}(self, other):\n"
                      "    if other.__class__ is self.__class__:\n"
                      f"      return {mine} {op} {theirs}\n"
                      "    return NotImplemented\n")
    _created["n"] += 1
    create = f"__create_fn_{_created['n']}__"
    params = ", ".join([f"dflt_{f.name}" for f in fields] + ["MISSING"])
    text = (f"def {create}({params}):\n" + "".join(source)
            + "  return (" + "".join([n + ", " for n in names]) + ")\n")
    made = _exec(text, create)(*([_field_default(f) for f in fields] + [_HAS_DEFAULT_FACTORY]))
    for name, fn in zip(names, made):
        if name not in cls.__dict__:
            fn.__qualname__ = f"{cls.__qualname__}.{fn.__name__}"
            setattr(cls, name, fn)
    if eq and "__hash__" not in cls.__dict__:
        cls.__hash__ = None
    _charge("dataclass")
    return cls


def _field_default(f):
    if f.default_factory is not _MISSING:
        return f.default_factory
    return f.default


def _dataclass_init(cls, fields):
    params = ["self"]
    body = []
    for f in fields:
        if not f.init:
            if f.default_factory is not _MISSING:
                body.append(f"    self.{f.name} = dflt_{f.name}()\n")
            elif f.default is not _MISSING:
                body.append(f"    self.{f.name} = dflt_{f.name}\n")
            continue
        if f.default_factory is not _MISSING:
            params.append(f"{f.name}=MISSING")
            body.append(f"    self.{f.name} = dflt_{f.name}() if {f.name} is MISSING "
                        f"else {f.name}\n")
        elif f.default is not _MISSING:
            params.append(f"{f.name}=dflt_{f.name}")
            body.append(f"    self.{f.name} = {f.name}\n")
        else:
            params.append(f.name)
            body.append(f"    self.{f.name} = {f.name}\n")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()\n")
    if not body:
        body.append("    pass\n")
    return "  def __init__(" + ", ".join(params) + "):\n" + "".join(body)


def dataclasses__asdict(obj):
    return {name: _asdict_value(getattr(obj, name)) for name in obj.__dataclass_fields__}


def _asdict_value(v):
    if hasattr(type(v), "__dataclass_fields__"):
        return dataclasses__asdict(v)
    if isinstance(v, list):
        return [_asdict_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _asdict_value(x) for k, x in v.items()}
    return v


def dataclasses__fields(obj):
    return tuple(obj.__dataclass_fields__.values())


def dataclasses__is_dataclass(obj):
    return hasattr(obj, "__dataclass_fields__")
