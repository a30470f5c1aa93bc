package ipc

import "syscall"

const syscallENAMETOOLONG = syscall.ENAMETOOLONG
