package main

// The transports register their URL schemes when linked in.
import (
	_ "github.com/gozmq/gozmq/transport/ipc"
	_ "github.com/gozmq/gozmq/transport/tcp"
)
