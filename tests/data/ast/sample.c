#include <stdio.h>

static int parse(const char *s, int *out) {
    int n = 0;
    if (!s) {
        return -1;
    }
    for (; *s; s++) {
        switch (*s) {
        case '0':
        case '1':
            n = n * 2 + (*s - '0');
            break;
        default:
            goto fail;
        }
    }
    *out = n > 0 ? n : 0;
    return 0;
fail:
    return -1;
}

int main(void) {
    int v;
    while (parse("101", &v) != 0 && v < 10) {
        puts("retry");
    }
    return 0;
}
