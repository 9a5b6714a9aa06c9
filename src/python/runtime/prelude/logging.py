

# ----- logging ------------------------------------------------------------------------------------
# Lib/logging/__init__.py (3.11), the parts programs use: levels, loggers in a dotted
# hierarchy, records with the caller's line and function and the thread's and process's
# names, Formatter (% and {} styles, asctime as "%Y-%m-%d %H:%M:%S,mmm"), StreamHandler
# (stderr unless told otherwise), basicConfig, the module-level functions (which call
# basicConfig when the root logger has no handler yet) and the last-resort handler (warnings
# and worse, message only, to stderr). Records are dicts here (CPython's LogRecord's
# __dict__), loggers and handlers objects with their methods as attributes.

import os as _os
import sys as _sys
import time as _time

logging__CRITICAL = 50
logging__FATAL = 50
logging__ERROR = 40
logging__WARNING = 30
logging__WARN = 30
logging__INFO = 20
logging__DEBUG = 10
logging__NOTSET = 0
logging__BASIC_FORMAT = "%(levelname)s:%(name)s:%(message)s"

_level_names = {50: "CRITICAL", 40: "ERROR", 30: "WARNING", 20: "INFO", 10: "DEBUG", 0: "NOTSET",
                "CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARN": 30, "WARNING": 30,
                "INFO": 20, "DEBUG": 10, "NOTSET": 0}
_logging = {"disable": 0, "start": _time.time()}
_loggers = {}


def logging__getLevelName(level):
    result = _level_names.get(level)
    if result is not None:
        return result
    return "Level %s" % level


def logging__addLevelName(level, name):
    _level_names[level] = name
    _level_names[name] = level


def _check_level(level):
    if isinstance(level, int):
        return level
    if isinstance(level, str):
        if level not in _level_names:
            raise ValueError("Unknown level: %r" % level)
        return _level_names[level]
    raise TypeError("Level not an integer or a valid string: %r" % (level,))


def logging__disable(level=50):
    _logging["disable"] = level


def _make_record(name, level, msg, args):
    pathname, lineno, func = _caller()
    filename = pathname.split("/")[-1]
    module = filename[:-3] if filename.endswith(".py") else filename
    ct = _time.time()
    if args and len(args) == 1 and isinstance(args[0], dict) and args[0]:
        args = args[0]
    thread = _threading.current_thread()
    return {
        "name": name, "msg": msg, "args": args, "levelname": logging__getLevelName(level),
        "levelno": level, "pathname": pathname, "filename": filename, "module": module,
        "exc_info": None, "exc_text": None, "stack_info": None, "lineno": lineno,
        "funcName": func, "created": ct, "msecs": int((ct - int(ct)) * 1000) + 0.0,
        "relativeCreated": (ct - _logging["start"]) * 1000, "thread": thread.ident,
        "threadName": thread.name, "processName": _mp.current_process().name,
        "process": _os.getpid(),
    }


def _record_message(record):
    msg = str(record["msg"])
    if record["args"]:
        msg = msg % record["args"]
    return msg


def logging__Formatter(fmt=None, datefmt=None, style="%", validate=True, *, defaults=None):
    if style not in ("%", "{"):
        raise ValueError("Style must be one of: %, {")
    if fmt is None:
        fmt = "%(message)s" if style == "%" else "{message}"
    formatter = _object("Formatter")
    search = "%(asctime)" if style == "%" else "{asctime"

    def format_time(record, datefmt=None):
        ct = _time.localtime(record["created"])
        if datefmt:
            return _time.strftime(datefmt, ct)
        return "%s,%03d" % (_time.strftime("%Y-%m-%d %H:%M:%S", ct), record["msecs"])

    def format(record):
        record["message"] = _record_message(record)
        if fmt.find(search) >= 0:
            record["asctime"] = formatter.formatTime(record, datefmt)
        values = record
        if defaults:
            values = dict(defaults)
            values.update(record)
        try:
            if style == "%":
                return fmt % values
            return fmt.format(**values)
        except KeyError as e:
            raise ValueError("Formatting field not found in record: %s" % e)

    formatter.format = format
    formatter.formatTime = format_time
    formatter.usesTime = lambda: fmt.find(search) >= 0
    formatter._fmt = fmt
    formatter.datefmt = datefmt
    return formatter


_default_formatter = logging__Formatter()


def _handler(kind, level):
    handler = _object(kind)
    handler.level = _check_level(level)
    handler.formatter = None
    handler.name = None

    def set_level(level):
        handler.level = _check_level(level)

    def set_formatter(fmt):
        handler.formatter = fmt

    def format(record):
        fmt = handler.formatter
        if fmt is None:
            fmt = _default_formatter
        return fmt.format(record)

    def handle(record):
        handler.emit(record)
        return True

    handler.setLevel = set_level
    handler.setFormatter = set_formatter
    handler.format = format
    handler.handle = handle
    handler.flush = lambda: None
    handler.close = lambda: None
    handler.emit = lambda record: None
    return handler


def logging__StreamHandler(stream=None):
    if stream is None:
        stream = _sys.stderr
    handler = _handler("StreamHandler", 0)
    handler.stream = stream
    handler.terminator = "\n"

    def emit(record):
        msg = handler.format(record)
        handler.stream.write(msg + handler.terminator)

    handler.emit = emit
    return handler


def logging__NullHandler():
    return _handler("NullHandler", 0)


def logging__FileHandler(filename, mode="a", encoding=None, delay=False, errors=None):
    raise NotImplementedError("logging.FileHandler: the kitchen has no files; log to a stream")


_last_resort = logging__StreamHandler()
_last_resort.level = 30


def _parent_of(name):
    while "." in name:
        name = name[:name.rindex(".")]
        if name in _loggers:
            return _loggers[name]
    return logging__root


def _logger(name, level):
    logger = _object("RootLogger" if name == "root" else "Logger")
    logger.name = name
    logger.level = _check_level(level)
    logger.handlers = []
    logger.propagate = True
    logger.disabled = False

    def parent():
        if logger is logging__root:
            return None
        return _parent_of(name)

    def effective_level():
        lg = logger
        while lg is not None:
            if lg.level:
                return lg.level
            lg = lg._parent()
        return 0

    def is_enabled_for(level):
        if logger.disabled or _logging["disable"] >= level:
            return False
        return level >= effective_level()

    def call_handlers(record):
        lg = logger
        found = 0
        while lg is not None:
            for h in lg.handlers:
                found += 1
                if record["levelno"] >= h.level:
                    h.handle(record)
            if not lg.propagate:
                break
            lg = lg._parent()
        if found == 0 and record["levelno"] >= _last_resort.level:
            _last_resort.handle(record)

    def log(level, msg, *args, exc_info=None, stack_info=False, stacklevel=1, extra=None):
        if not isinstance(level, int):
            raise TypeError("level must be an integer")
        if is_enabled_for(level):
            record = _make_record(name, level, msg, args)
            if extra is not None:
                for key in extra:
                    if key in ("message", "asctime") or key in record:
                        raise KeyError("Attempt to overwrite %r in LogRecord" % key)
                    record[key] = extra[key]
            call_handlers(record)

    def level_method(level):
        def method(msg, *args, **kwargs):
            log(level, msg, *args, **kwargs)
        return method

    def set_level(level):
        logger.level = _check_level(level)

    def add_handler(h):
        if h not in logger.handlers:
            logger.handlers.append(h)

    def remove_handler(h):
        if h in logger.handlers:
            logger.handlers.remove(h)

    def has_handlers():
        lg = logger
        while lg is not None:
            if lg.handlers:
                return True
            if not lg.propagate:
                return False
            lg = lg._parent()
        return False

    logger._parent = parent
    logger.getEffectiveLevel = effective_level
    logger.isEnabledFor = is_enabled_for
    logger.log = log
    logger.debug = level_method(10)
    logger.info = level_method(20)
    logger.warning = level_method(30)
    logger.warn = level_method(30)
    logger.error = level_method(40)
    logger.exception = level_method(40)
    logger.critical = level_method(50)
    logger.fatal = level_method(50)
    logger.setLevel = set_level
    logger.addHandler = add_handler
    logger.removeHandler = remove_handler
    logger.hasHandlers = has_handlers
    logger.getChild = lambda suffix: logging__getLogger(name + "." + suffix)
    return logger


logging__root = _logger("root", 30)


def logging__getLogger(name=None):
    if not name or name == "root":
        return logging__root
    if not isinstance(name, str):
        raise TypeError("A logger name must be a string")
    logger = _loggers.get(name)
    if logger is None:
        logger = _logger(name, 0)
        _loggers[name] = logger
    return logger


def logging__basicConfig(*, filename=None, filemode="a", format=None, datefmt=None, style="%",
                         level=None, stream=None, handlers=None, force=False, encoding=None,
                         errors=None):
    root = logging__root
    if force:
        for h in root.handlers[:]:
            root.removeHandler(h)
    if len(root.handlers) == 0:
        if handlers is None:
            if filename is not None:
                raise NotImplementedError(
                    "logging.basicConfig(filename=...): the kitchen has no files; log to a stream")
            handlers = [logging__StreamHandler(stream)]
        elif stream is not None:
            raise ValueError("'stream' and 'handlers' should not be specified together")
        if format is None:
            format = logging__BASIC_FORMAT if style == "%" else "{levelname}:{name}:{message}"
        fmt = logging__Formatter(format, datefmt, style)
        for h in handlers:
            if h.formatter is None:
                h.setFormatter(fmt)
            root.addHandler(h)
        if level is not None:
            root.setLevel(level)


def _module_level(level):
    def log(msg, *args, **kwargs):
        if len(logging__root.handlers) == 0:
            logging__basicConfig()
        logging__root.log(level, msg, *args, **kwargs)
    return log


logging__debug = _module_level(10)
logging__info = _module_level(20)
logging__warning = _module_level(30)
logging__warn = _module_level(30)
logging__error = _module_level(40)
logging__exception = _module_level(40)
logging__critical = _module_level(50)
logging__fatal = _module_level(50)


def logging__log(level, msg, *args, **kwargs):
    if len(logging__root.handlers) == 0:
        logging__basicConfig()
    logging__root.log(level, msg, *args, **kwargs)
