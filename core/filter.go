package core

import (
	"net"
	"net/netip"
	"os/user"
	"slices"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// acceptFilter returns the check a listener applies to each accepted
// connection (the deprecated TCP_ACCEPT_FILTER and IPC_FILTER_* options),
// or nil when no filter is set. As in libzmq, the filters in force when
// zmq_bind is called stay with that listener. Called with s.mu held.
func (o *Options) acceptFilter() func(net.Conn) bool {
	if len(o.TCPAcceptFilters) == 0 && len(o.IPCFilterUIDs) == 0 && len(o.IPCFilterGIDs) == 0 && len(o.IPCFilterPIDs) == 0 {
		return nil
	}
	f := o.clone()
	return func(c net.Conn) bool {
		switch a := c.RemoteAddr().(type) {
		case *net.TCPAddr:
			ip, _ := netip.AddrFromSlice(a.IP)
			return f.admitsTCP(ip)
		case *net.UnixAddr:
			return f.admitsIPC(c)
		}
		return true
	}
}

// admitsIPC checks an ipc peer's credentials (SO_PEERCRED) as libzmq
// does: its uid, its primary gid or its pid is listed, or its user is a
// member of a listed group. With no ipc filter set everyone is admitted.
func (o *Options) admitsIPC(c net.Conn) bool {
	if len(o.IPCFilterUIDs) == 0 && len(o.IPCFilterGIDs) == 0 && len(o.IPCFilterPIDs) == 0 {
		return true
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	var cred *unix.Ucred
	raw.Control(func(fd uintptr) { cred, err = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED) })
	if err != nil || cred == nil {
		return false
	}
	if slices.Contains(o.IPCFilterUIDs, cred.Uid) || slices.Contains(o.IPCFilterGIDs, cred.Gid) ||
		slices.Contains(o.IPCFilterPIDs, uint32(cred.Pid)) {
		return true
	}
	if len(o.IPCFilterGIDs) == 0 {
		return false
	}
	u, err := user.LookupId(strconv.FormatUint(uint64(cred.Uid), 10))
	if err != nil {
		return false
	}
	groups, err := u.GroupIds()
	if err != nil {
		return false
	}
	for _, g := range groups {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil && slices.Contains(o.IPCFilterGIDs, uint32(n)) {
			return true
		}
	}
	return false
}
