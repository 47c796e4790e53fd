#!/usr/bin/env python3
"""Starts N TCP listeners on 127.0.0.1 (ports chosen by the kernel) for bench/netscan/run: a mix
of services that greet (SSH, SMTP, FTP, POP3), answer HTTP, answer Redis PING, or stay silent.
Writes the port list to PORTFILE once listening; runs until killed or for --seconds."""
import argparse
import socket
import threading
import time

GREET = [b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", b"220 mail.example.com ESMTP Postfix\r\n",
         b"220 (vsFTPd 3.0.3)\r\n", b"+OK POP3 server ready\r\n"]


def serve(sock, kind):
    while True:
        try:
            c, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=talk, args=(c, kind), daemon=True).start()


def talk(c, kind):
    try:
        if kind < 4:
            c.sendall(GREET[kind])
        c.settimeout(3)
        data = c.recv(1024)
        if kind == 4 and data.startswith(b"GET "):
            c.sendall(b"HTTP/1.1 200 OK\r\nServer: bench\r\nContent-Length: 2\r\n\r\nok")
        elif kind == 5 and data.startswith(b"PING"):
            c.sendall(b"+PONG\r\n")
        elif kind == 5:
            c.sendall(b"-ERR unknown command\r\n")
    except OSError:
        pass
    finally:
        c.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("portfile")
    p.add_argument("--count", type=int, default=50)
    p.add_argument("--seconds", type=float, default=3600)
    a = p.parse_args()
    ports = []
    for i in range(a.count):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(256)
        ports.append(s.getsockname()[1])
        threading.Thread(target=serve, args=(s, i % 7), daemon=True).start()
    with open(a.portfile + ".tmp", "w") as f:
        f.write(",".join(map(str, sorted(ports))) + "\n")
    import os
    os.rename(a.portfile + ".tmp", a.portfile)
    time.sleep(a.seconds)


if __name__ == "__main__":
    main()
