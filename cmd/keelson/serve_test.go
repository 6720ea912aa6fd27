package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a log sink the server and the test may use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// TestServeDemoAndShutDown starts the server as `keelson` with no configuration but a port
// and a database path: it loads the demo catalog, becomes ready, and stops cleanly when its
// context ends (what SIGTERM does in main).
func TestServeDemoAndShutDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := map[string]string{
		"KEELSON_ADDR":         addr,
		"KEELSON_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "keelson.db"),
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, func(k string) string { return env[k] }, &logs, &logs) }()

	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready within a minute; log:\n%s", logs.b.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	res, err := client.Get("http://" + addr + "/api/catalog/entities/by-query?limit=0")
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		TotalItems int `json:"totalItems"`
	}
	json.NewDecoder(res.Body).Decode(&page)
	res.Body.Close()
	if page.TotalItems < 100 {
		t.Errorf("demo catalog has %d entities, want the bundled company", page.TotalItems)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve ended with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s of its context ending")
	}
	if _, err := client.Get("http://" + addr + "/healthz"); err == nil {
		t.Errorf("server still answers after shutdown")
	}
}
