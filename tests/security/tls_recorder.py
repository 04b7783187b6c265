import socket, ssl, sys
cert, key, portfile, outfile = sys.argv[1:5]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
ctx.set_alpn_protocols(["http/1.1"])
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen(8)
open(portfile + ".tmp", "w").write(str(ls.getsockname()[1])); __import__("os").rename(portfile + ".tmp", portfile)
out = open(outfile, "ab", buffering=0)
while True:
    c, _ = ls.accept()
    try:
        s = ctx.wrap_socket(c, server_side=True)
        s.settimeout(2)
        while True:
            d = s.recv(65536)
            if not d: break
            out.write(d)
    except Exception as ex:
        pass
    finally:
        c.close()
