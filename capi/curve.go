package main

/*
#include <stddef.h>
#include <stdint.h>
#include <string.h>
char *zmq_z85_encode(char *dest, const uint8_t *data, size_t size);
uint8_t *zmq_z85_decode(uint8_t *dest, const char *string);
*/
import "C"

import (
	"crypto/rand"
	"syscall"
	"unsafe"

	"golang.org/x/crypto/curve25519"
)

// gz_curve_keypair writes a fresh Curve25519 key pair as two 40-character
// Z85 strings (41 bytes each with the NUL), as zmq_curve_keypair does.
//
//export gz_curve_keypair
func gz_curve_keypair(pub, sec *C.char) C.int {
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return C.int(syscall.EIO)
	}
	defer clear(secret[:])
	public, err := curve25519.X25519(secret[:], curve25519.Basepoint)
	if err != nil {
		return C.int(syscall.EINVAL)
	}
	C.zmq_z85_encode(pub, (*C.uint8_t)(unsafe.Pointer(&public[0])), 32)
	C.zmq_z85_encode(sec, (*C.uint8_t)(unsafe.Pointer(&secret[0])), 32)
	return 0
}

// gz_curve_public derives the Z85 public key of a Z85 secret key.
//
//export gz_curve_public
func gz_curve_public(pub, sec *C.char) C.int {
	var secret [32]byte
	defer clear(secret[:])
	if C.strnlen(sec, 41) != 40 {
		return C.int(syscall.EINVAL) // would not decode to exactly 32 bytes
	}
	if C.zmq_z85_decode((*C.uint8_t)(unsafe.Pointer(&secret[0])), sec) == nil {
		return C.int(syscall.EINVAL)
	}
	public, err := curve25519.X25519(secret[:], curve25519.Basepoint)
	if err != nil {
		return C.int(syscall.EINVAL)
	}
	C.zmq_z85_encode(pub, (*C.uint8_t)(unsafe.Pointer(&public[0])), 32)
	return 0
}
