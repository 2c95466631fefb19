// The pod sandbox's process for the test node (scripts/cluster.sh start --node):
// it holds the pod's namespaces open and does nothing else. As PID 1 of a pod
// whose containers share its PID namespace it must reap orphaned children, and it
// must exit promptly on SIGTERM/SIGINT so pods stop without the kill timeout.
// Built static (CGO_ENABLED=0) into an image FROM scratch: nothing is pulled.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGCHLD, syscall.SIGTERM, syscall.SIGINT)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		reap()
	}
}

// reap collects every child that has exited. SIGCHLD is not queued per child, so
// one signal may stand for several exits: loop until none is left.
func reap() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
