package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Config is everything the server is configured with, from flags and KEELSON_* variables.
type Config struct {
	Addr            string
	DatabaseURL     string
	Locations       []string
	Demo            bool
	RefreshInterval time.Duration
	OrphanGrace     time.Duration
	MaxFileBytes    int64
	LogLevel        slog.Level
	LogFormat       string
	ShutdownTimeout time.Duration
}

// parseConfig reads flags, each defaulting to its KEELSON_* variable, then to a built-in default.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	var cfg Config
	fs := flag.NewFlagSet("keelson serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var locations, level string
	fs.StringVar(&cfg.Addr, "addr", env("KEELSON_ADDR", ":7007"), "listen address (KEELSON_ADDR)")
	fs.StringVar(&cfg.DatabaseURL, "database-url", env("KEELSON_DATABASE_URL", "sqlite:keelson.db"),
		"sqlite:PATH or postgres://... (KEELSON_DATABASE_URL)")
	fs.StringVar(&locations, "catalog-locations", env("KEELSON_CATALOG_LOCATIONS", ""),
		"comma-separated catalog targets: files, globs such as /repo/**/catalog-info.yaml, directories, http(s) URLs (KEELSON_CATALOG_LOCATIONS)")
	demoDefault, err := boolEnv(getenv, "KEELSON_DEMO", true)
	if err != nil {
		return cfg, err
	}
	fs.BoolVar(&cfg.Demo, "demo", demoDefault, "load the bundled demo catalog when no location is configured (KEELSON_DEMO)")
	interval, err := durationEnv(getenv, "KEELSON_REFRESH_INTERVAL", 2*time.Minute)
	if err != nil {
		return cfg, err
	}
	fs.DurationVar(&cfg.RefreshInterval, "refresh-interval", interval, "how often each location is read again (KEELSON_REFRESH_INTERVAL)")
	grace, err := durationEnv(getenv, "KEELSON_ORPHAN_GRACE", 0)
	if err != nil {
		return cfg, err
	}
	fs.DurationVar(&cfg.OrphanGrace, "orphan-grace", grace, "delete orphaned entities after this long; 0 keeps them (KEELSON_ORPHAN_GRACE)")
	maxBytes, err := intEnv(getenv, "KEELSON_MAX_FILE_BYTES", 10<<20)
	if err != nil {
		return cfg, err
	}
	fs.Int64Var(&cfg.MaxFileBytes, "max-file-bytes", maxBytes, "largest descriptor file read, in bytes (KEELSON_MAX_FILE_BYTES)")
	fs.StringVar(&level, "log-level", env("KEELSON_LOG_LEVEL", "info"), "debug, info, warn or error (KEELSON_LOG_LEVEL)")
	fs.StringVar(&cfg.LogFormat, "log-format", env("KEELSON_LOG_FORMAT", "text"), "text or json (KEELSON_LOG_FORMAT)")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long to let requests finish on SIGTERM")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	for _, l := range strings.Split(locations, ",") {
		if l = strings.TrimSpace(l); l != "" {
			cfg.Locations = append(cfg.Locations, l)
		}
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return cfg, fmt.Errorf("log level %q: expected debug, info, warn or error", level)
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return cfg, fmt.Errorf("log format %q: expected text or json", cfg.LogFormat)
	}
	if cfg.RefreshInterval <= 0 {
		return cfg, errors.New("refresh interval must be positive")
	}
	if cfg.MaxFileBytes <= 0 {
		return cfg, errors.New("max file bytes must be positive")
	}
	return cfg, nil
}

func boolEnv(getenv func(string) string, name string, def bool) (bool, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: expected true or false", name, v)
	}
	return b, nil
}

func durationEnv(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: expected a duration such as 2m or 90s", name, v)
	}
	return d, nil
}

func intEnv(getenv func(string) string, name string, def int64) (int64, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: expected a whole number", name, v)
	}
	return n, nil
}
