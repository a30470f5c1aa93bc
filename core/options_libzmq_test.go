package core

import (
	"errors"
	"testing"

	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
)

// Option rules the C socket-options fuzzer found (socket-type options by
// number: 33 ROUTER_MANDATORY, 40 XPUB_VERBOSE, 73 STREAM_NOTIFY) different from libzmq
// (tests/c/fuzz/socket_options.c compares every option with libzmq's).
func TestOptionRulesAsLibzmq(t *testing.T) {
	c := newCtx(t)
	defer c.Term()
	int4 := func(v int) []byte { b := make([]byte, 4); encodeValue(kindInt, v, b); return b }
	cases := []struct {
		name string
		typ  int
		opt  int
		val  []byte
		ok   bool
	}{
		{"CONNECT_ROUTING_ID on ROUTER", socktype.ROUTER, OptConnectRoutingID, []byte("id"), true},
		{"CONNECT_ROUTING_ID on STREAM", socktype.STREAM, OptConnectRoutingID, []byte("id"), true},
		{"CONNECT_ROUTING_ID on DEALER", socktype.DEALER, OptConnectRoutingID, []byte("id"), false},
		{"CONNECT_ROUTING_ID on XPUB", socktype.XPUB, OptConnectRoutingID, []byte("id"), false},
		{"PLAIN_USERNAME NULL, 0", socktype.DEALER, OptPlainUsername, nil, true},
		{"PLAIN_USERNAME non-NULL, 0", socktype.DEALER, OptPlainUsername, []byte{}, false},
		{"TCP_ACCEPT_FILTER non-NULL, 0", socktype.DEALER, OptTCPAcceptFilter, []byte{}, false},
		{"SOCKS_PROXY non-NULL, 0", socktype.DEALER, OptSocksProxy, []byte{}, false},
		{"IPC_FILTER_UID non-NULL, 0", socktype.DEALER, OptIPCFilterUID, []byte{}, false},
		{"IPC_FILTER_UID NULL, 0", socktype.DEALER, OptIPCFilterUID, nil, true},
		{"ZAP_DOMAIN non-NULL, 0", socktype.DEALER, OptZAPDomain, []byte{}, false},
		{"BINDTODEVICE non-NULL, 0", socktype.DEALER, OptBindToDevice, []byte{}, false},
		{"INVERT_MATCHING -1 (any int)", socktype.DEALER, OptInvertMatching, int4(-1), true},
		{"INVERT_MATCHING -1 on XPUB", socktype.XPUB, OptInvertMatching, int4(-1), true},
		{"INVERT_MATCHING -1 on XSUB", socktype.XSUB, OptInvertMatching, int4(-1), true},
		{"XPUB_VERBOSE 2 (any int >= 0)", socktype.XPUB, 40, int4(2), true},
		{"XPUB_VERBOSE -1", socktype.XPUB, 40, int4(-1), false},
		{"ROUTER_MANDATORY 7", socktype.ROUTER, 33, int4(7), true},
		{"ROUTER_MANDATORY on STREAM", socktype.STREAM, 33, int4(0), false},
		{"STREAM_NOTIFY 2 (only 0 or 1)", socktype.STREAM, 73, int4(2), false},
		{"SUBSCRIBE on XSUB", socktype.XSUB, OptSubscribe, []byte("a"), false},
		{"SUBSCRIBE on SUB", socktype.SUB, OptSubscribe, []byte("a"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := mustSocket(t, c, tc.typ)
			defer s.Close()
			err := s.SetOption(tc.opt, tc.val)
			if tc.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tc.ok && !errors.Is(err, zerr.ErrInvalid) {
				t.Fatalf("got %v, want EINVAL", err)
			}
		})
	}
}

// libzmq reads numbers only into buffers of their exact size; strings and
// the socket's own state (EVENTS, FD, RCVMORE) may use a larger one.
func TestGetOptionSizesAsLibzmq(t *testing.T) {
	c := newCtx(t)
	defer c.Term()
	s := mustSocket(t, c, socktype.XPUB)
	defer s.Close()
	for _, tc := range []struct {
		opt, size int
		ok        bool
	}{
		{OptSndHWM, 4, true}, {OptSndHWM, 8, false}, {OptSndHWM, 3, false},
		{OptMaxMsgSize, 8, true}, {OptMaxMsgSize, 16, false},
		{OptType, 8, false}, {OptInvertMatching, 8, false}, {OptInvertMatching, 4, true},
		{OptCurvePublicKey, 32, true}, {OptCurvePublicKey, 41, true}, {OptCurvePublicKey, 42, false},
		{OptRcvMore, 8, true}, {OptEvents, 8, true}, {OptLastEndpoint, 100, true},
	} {
		_, err := s.GetOption(tc.opt, make([]byte, tc.size))
		if tc.ok && err != nil {
			t.Errorf("option %d into %d bytes: %v", tc.opt, tc.size, err)
		}
		if !tc.ok && !errors.Is(err, zerr.ErrInvalid) {
			t.Errorf("option %d into %d bytes: %v, want EINVAL", tc.opt, tc.size, err)
		}
	}
}
