// Package ipc is the ipc:// transport (zmq_ipc): Unix-domain stream
// sockets at a file path, Linux abstract names ("@name"), and "*" for a
// fresh path in a private temporary directory.
//
// Imports: transport and the standard library.
package ipc

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/gozmq/gozmq/transport"
)

func init() { transport.Register("ipc", ipcTransport{}) }

type ipcTransport struct{}

// maxPath is sun_path's size less the terminating NUL.
const maxPath = 107

func check(addr string) error {
	if addr == "" || addr == "@" { // an abstract name needs a name (libzmq: EINVAL)
		return transport.ErrInvalidAddr
	}
	if len(addr) > maxPath {
		return errNameTooLong
	}
	return nil
}

var errNameTooLong = &os.PathError{Op: "bind", Path: "", Err: syscallENAMETOOLONG}

func (ipcTransport) Listen(addr string, o *transport.Options) (transport.Listener, error) {
	if o.UseFD >= 0 {
		l, err := transport.FileListener(o.UseFD)
		if err != nil {
			return nil, err
		}
		ul, ok := l.(*net.UnixListener)
		if !ok {
			l.Close()
			return nil, transport.ErrInvalidAddr
		}
		ul.SetUnlinkOnClose(false) // the file is the application's
		return &listener{l: ul, addr: addr}, nil
	}
	var tmpdir string
	if addr == "*" {
		// libzmq binds a wildcard ipc endpoint to a new file in a private
		// temporary directory and reports it through LAST_ENDPOINT.
		d, err := os.MkdirTemp("", "gozmq-ipc-")
		if err != nil {
			return nil, err
		}
		tmpdir, addr = d, filepath.Join(d, "socket")
	}
	if err := check(addr); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(addr, "@") {
		// A stale socket file left by a dead process would make bind
		// fail; libzmq removes it too.
		if fi, err := os.Lstat(addr); err == nil && fi.Mode()&os.ModeSocket != 0 {
			os.Remove(addr)
		}
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: addr, Net: "unix"})
	if err != nil {
		if tmpdir != "" {
			os.RemoveAll(tmpdir)
		}
		return nil, err
	}
	transport.SetBacklog(l, o.Backlog)
	return &listener{l: l, addr: addr, tmpdir: tmpdir}, nil
}

type listener struct {
	l      *net.UnixListener
	addr   string
	tmpdir string
}

func (l *listener) Accept() (net.Conn, error) { return l.l.Accept() }

// FD is the listening descriptor (for monitor events).
func (l *listener) FD() uintptr {
	var fd uintptr
	if raw, err := l.l.SyscallConn(); err == nil {
		raw.Control(func(f uintptr) { fd = f })
	}
	return fd
}

// Close removes the socket file (net does so for listeners it created)
// and the wildcard's temporary directory.
func (l *listener) Close() error {
	err := l.l.Close()
	if l.tmpdir != "" {
		os.RemoveAll(l.tmpdir)
	}
	return err
}

func (l *listener) Endpoint() string { return "ipc://" + l.addr }

// CheckConnect validates a connect address. "*" is a wildcard only when
// binding; libzmq connects to a file of that name, and so do we.
func (ipcTransport) CheckConnect(addr string, o *transport.Options) error {
	return check(addr)
}

func (ipcTransport) Dial(ctx context.Context, addr string, o *transport.Options) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "unix", addr)
}
