import os

def simple(a, b=1):
    return a + b

class Foo:
    def method(self, x):
        if x > 0 and x < 10:
            for i in range(x):
                if i % 2:
                    print(i)
                elif i % 3:
                    pass
                else:
                    continue
        else:
            return [y for y in range(x) if y]
        try:
            pass
        except ValueError:
            pass
        except KeyError:
            pass
        else:
            pass
        def inner():
            return 1 if x else 2
        return lambda z: z or x

async def coro():
    with open("f") as f:
        while True:
            assert f
            break
    match x:
        case 1:
            pass
        case _:
            pass
