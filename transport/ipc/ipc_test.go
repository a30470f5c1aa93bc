package ipc

import (
	"testing"

	"github.com/gozmq/gozmq/transport"
)

// Endpoint rules the C bind/connect fuzzers found different from libzmq.
func TestAddressesAsLibzmq(t *testing.T) {
	o := &transport.Options{UseFD: -1}
	if err := check("@"); err == nil {
		t.Error(`"@" (abstract, no name) accepted; libzmq says EINVAL`)
	}
	if err := check("@name"); err != nil {
		t.Errorf(`"@name": %v`, err)
	}
	// "*" is a wildcard only for bind; connect takes it as a file name.
	if err := (ipcTransport{}).CheckConnect("*", o); err != nil {
		t.Errorf(`connect "*": %v`, err)
	}
}
