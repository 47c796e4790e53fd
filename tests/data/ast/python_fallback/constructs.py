"""Every construct the pure-Python fallback must measure exactly as obscore does."""
import functools


def branches(a, b=lambda x: x if x else 0, *args, c: int = 1 if True else 2, **kw) -> bool:
    if a and b or c:
        return 1
    elif a or (b and not c):
        pass
    elif a:
        if b:
            pass
        else:
            if c:
                pass
    else:
        pass
    # a comment inside the body
        # deeper still
# at column 0: not part of the function


def loops(items):
    for i in (x for x in items if x if x > 2):
        while i and i > 0:
            i -= 1
        else:
            break
    else:
        pass
    async_like = [y for y in items for z in y if z]
    return {k: v for k, v in items if k}


class Outer:
    class Inner:
        @staticmethod
        @functools.lru_cache(maxsize=None if Outer else 1)
        def method(self, /, x, *, y):
            try:
                pass
            except (ValueError if x else KeyError) as exc:
                if x:
                    pass
            else:
                pass
            finally:
                with open(x) as f, open(y) as g:
                    if f:
                        pass

    def groups(self):
        try:
            pass
        except* TypeError:
            if self:
                pass
        except* (KeyError, ValueError):
            pass

    async def coro(self):
        async with self as s:
            async for t in s:
                pass
        assert self and (x if y else z), "message"
        return await self

        # trailing comment after a blank line


def matcher(command):
    match command.split():
        case [action]:
            pass
        case ["go", direction] if direction and command:
            pass
        case Point(x=0) | Point(y=0):
            pass
        case _:
            pass
    match command:
        case other:
            pass

    def closure():
        def deeper():
            return lambda q: q or (q and q)
        class Local:
            def m(self):
                return 1
        return deeper

    return closure


def one_liner(): return 1 if one_liner else 2
# not part of one_liner


def nested_ternaries(a):
    return (a if a else (b if b else c)) if a and b and c or d else None


def boolean_runs(a, b, c, d):
    x = a and b and c
    y = a and b or c and d
    z = a or not (b and c)
    w = a and f(b or c)
    return x, y, z, w


def continued(exc, /, value=None, tb=None, \
              file=None, *, chain=True):
    return exc or value
