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
	MemoryLimit     int64 // soft limit of the Go heap in bytes; 0 leaves the runtime's default
	Auth            AuthConfig
}

// AuthConfig is how people sign in and who gets which role.
type AuthConfig struct {
	// OIDCIssuer, OIDCClientID and OIDCClientSecret configure sign-in through an OpenID
	// provider; without an issuer, guest sign-in is on.
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	// BaseURL is where people reach Keelson; the provider redirects to BaseURL/auth/callback.
	BaseURL string
	// SignInResolver is emailMatchingUserEntityProfileEmail or emailLocalPartMatchingUserEntityName.
	SignInResolver string
	// AllowedDomains restricts sign-in to these email domains when not empty.
	AllowedDomains []string
	// AllowUnknownUsers lets people without a User entity sign in.
	AllowUnknownUsers bool
	// AdminGroups and ManagerGroups are the groups whose members get those roles.
	AdminGroups   []string
	ManagerGroups []string
	// SessionIdle and SessionAbsolute end sessions; zero takes the defaults.
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
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
	// A soft heap limit makes the collector work harder only when memory runs high: a small
	// catalog then stays small in memory; a large one ingests more slowly rather than
	// growing without bound. Go's own GOMEMLIMIT, when set, wins.
	memDefault := int64(128 << 20)
	if getenv("GOMEMLIMIT") != "" {
		memDefault = 0
	}
	memLimit, err := intEnv(getenv, "KEELSON_MEMORY_LIMIT", memDefault)
	if err != nil {
		return cfg, err
	}
	fs.Int64Var(&cfg.MemoryLimit, "memory-limit", memLimit,
		"soft limit of the Go heap in bytes; raise it for catalogs past 20,000 entities to ingest faster; 0 for none (KEELSON_MEMORY_LIMIT)")
	lists, err := authFlags(fs, &cfg.Auth, getenv, env)
	if err != nil {
		return cfg, err
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	cfg.Auth.AllowedDomains = splitList(*lists.domains)
	cfg.Auth.AdminGroups = splitList(*lists.admins)
	cfg.Auth.ManagerGroups = splitList(*lists.managers)
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	cfg.Locations = splitList(locations)
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

// authLists are the comma-separated flags, split after parsing.
type authLists struct {
	domains, admins, managers *string
}

// authFlags declares the sign-in and role flags, each defaulting to its KEELSON_* variable.
func authFlags(fs *flag.FlagSet, a *AuthConfig, getenv func(string) string, env func(name, def string) string) (authLists, error) {
	fs.StringVar(&a.OIDCIssuer, "oidc-issuer", env("KEELSON_OIDC_ISSUER", ""),
		"OpenID provider issuer URL; empty turns guest sign-in on (KEELSON_OIDC_ISSUER)")
	fs.StringVar(&a.OIDCClientID, "oidc-client-id", env("KEELSON_OIDC_CLIENT_ID", ""), "OIDC client ID (KEELSON_OIDC_CLIENT_ID)")
	fs.StringVar(&a.OIDCClientSecret, "oidc-client-secret", env("KEELSON_OIDC_CLIENT_SECRET", ""),
		"OIDC client secret; prefer the variable, which process listings do not show (KEELSON_OIDC_CLIENT_SECRET)")
	fs.StringVar(&a.BaseURL, "base-url", env("KEELSON_BASE_URL", ""),
		"where people reach Keelson, e.g. https://portal.example.com; required with OIDC (KEELSON_BASE_URL)")
	fs.StringVar(&a.SignInResolver, "sign-in-resolver", env("KEELSON_SIGN_IN_RESOLVER", "emailMatchingUserEntityProfileEmail"),
		"emailMatchingUserEntityProfileEmail or emailLocalPartMatchingUserEntityName (KEELSON_SIGN_IN_RESOLVER)")
	var l authLists
	l.domains = fs.String("allowed-domains", env("KEELSON_ALLOWED_DOMAINS", ""),
		"comma-separated email domains allowed to sign in; empty allows any (KEELSON_ALLOWED_DOMAINS)")
	unknown, err := boolEnv(getenv, "KEELSON_ALLOW_UNKNOWN_USERS", false)
	if err != nil {
		return l, err
	}
	fs.BoolVar(&a.AllowUnknownUsers, "allow-unknown-users", unknown,
		"let people without a User entity in the catalog sign in (KEELSON_ALLOW_UNKNOWN_USERS)")
	l.admins = fs.String("admin-groups", env("KEELSON_ADMIN_GROUPS", ""),
		"comma-separated groups whose members, directly or through child groups, are admins (KEELSON_ADMIN_GROUPS)")
	l.managers = fs.String("manager-groups", env("KEELSON_MANAGER_GROUPS", ""),
		"comma-separated groups whose members are managers (KEELSON_MANAGER_GROUPS)")
	idle, err := durationEnv(getenv, "KEELSON_SESSION_IDLE", 12*time.Hour)
	if err != nil {
		return l, err
	}
	fs.DurationVar(&a.SessionIdle, "session-idle", idle, "end sessions unused for this long (KEELSON_SESSION_IDLE)")
	absolute, err := durationEnv(getenv, "KEELSON_SESSION_ABSOLUTE", 7*24*time.Hour)
	if err != nil {
		return l, err
	}
	fs.DurationVar(&a.SessionAbsolute, "session-absolute", absolute, "end every session this long after sign-in (KEELSON_SESSION_ABSOLUTE)")
	return l, nil
}

// splitList splits a comma-separated value, dropping blanks.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
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
