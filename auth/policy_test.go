package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/keelson-dev/keelson/auth"
	"github.com/keelson-dev/keelson/database"
)

func TestIdentity(t *testing.T) {
	tests := []struct {
		name       string
		pick       string
		wantRole   auth.Role
		wantTeams  string
		wantGroups string
	}{
		{name: "member through parents", pick: "jane.doe", wantRole: auth.RoleMember, wantTeams: "group:default/platform",
			wantGroups: "group:default/engineering,group:default/org,group:default/platform"},
		{name: "admin", pick: "ada", wantRole: auth.RoleAdmin, wantTeams: "group:default/admins", wantGroups: "group:default/admins"},
		{name: "manager", pick: "max", wantRole: auth.RoleManager, wantTeams: "group:default/managers,group:default/platform",
			wantGroups: "group:default/engineering,group:default/managers,group:default/org,group:default/platform"},
		{name: "group cycle", pick: "cy", wantRole: auth.RoleMember, wantTeams: "group:default/loops-a", wantGroups: "group:default/loops-a,group:default/loops-b"},
		{name: "guest", pick: "", wantRole: auth.RoleMember, wantGroups: ""},
	}
	svc := newGuestService(t, database.OpenTest(t, "sqlite"), newClock())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			caller, err := svc.Authenticate(context.Background(), requestWith(guestSignIn(t, svc, tc.pick)))
			if err != nil {
				t.Fatal(err)
			}
			id := caller.Identity
			if id.Role != tc.wantRole || strings.Join(id.Groups, ",") != tc.wantGroups || id.Kind != auth.KindUser ||
				strings.Join(id.Teams, ",") != tc.wantTeams || id.Teams == nil || id.Groups == nil {
				t.Errorf("identity = %+v, want role %s teams %s groups %s", id, tc.wantRole, tc.wantTeams, tc.wantGroups)
			}
			if !id.Owns(id.Ref) || len(id.OwnershipRefs) != len(id.Groups)+1 {
				t.Errorf("ownership refs %v must be the user and the groups", id.OwnershipRefs)
			}
			for _, g := range id.Groups {
				if !id.Owns(strings.ToUpper(g)) {
					t.Errorf("Owns(%s) = false", g)
				}
			}
		})
	}
}

func TestCan(t *testing.T) {
	member := auth.Identity{Kind: auth.KindUser, Ref: "user:default/jane.doe", Role: auth.RoleMember,
		OwnershipRefs: []string{"group:default/platform", "user:default/jane.doe"}}
	manager := member
	manager.Role = auth.RoleManager
	admin := auth.Identity{Kind: auth.KindUser, Ref: "user:default/ada", Role: auth.RoleAdmin,
		OwnershipRefs: []string{"group:default/admins", "user:default/ada"}}
	readToken := auth.Identity{Kind: auth.KindToken, Ref: "token:1", Scope: auth.ScopeRead, Role: auth.RoleMember}
	writeToken := auth.Identity{Kind: auth.KindToken, Ref: "token:2", Scope: auth.ScopeWrite, Role: auth.RoleMember}
	anon := auth.Anonymous()

	owned := auth.Resource{Ref: "location:x", Owners: []string{"group:default/platform"}}
	ownedMixed := auth.Resource{Ref: "location:y", Owners: []string{"group:default/platform", "group:default/other"}}
	foreign := auth.Resource{Ref: "location:z", Owners: []string{"group:default/other"}}
	unowned := auth.Resource{Ref: "location:empty"}

	tests := []struct {
		name string
		id   auth.Identity
		perm auth.Permission
		res  auth.Resource
		want bool
	}{
		{"member reads catalog", member, auth.PermCatalogRead, auth.Resource{}, true},
		{"anonymous reads catalog", anon, auth.PermCatalogRead, auth.Resource{}, true},
		{"nobody reads catalog", auth.Identity{}, auth.PermCatalogRead, auth.Resource{}, false},
		{"read token reads catalog", readToken, auth.PermCatalogRead, auth.Resource{}, true},

		{"owner registers location", member, auth.PermLocationRegister, owned, true},
		{"owner of some entities may not register", member, auth.PermLocationRegister, ownedMixed, false},
		{"non-owner may not register", member, auth.PermLocationRegister, foreign, false},
		{"member may not register an ownerless location", member, auth.PermLocationRegister, unowned, false},
		{"admin registers any location", admin, auth.PermLocationRegister, foreign, true},
		{"admin registers an ownerless location", admin, auth.PermLocationRegister, unowned, true},
		{"write token registers", writeToken, auth.PermLocationRegister, foreign, true},
		{"read token may not register", readToken, auth.PermLocationRegister, owned, false},
		{"anonymous may not register", anon, auth.PermLocationRegister, owned, false},

		{"owner unregisters location", member, auth.PermLocationUnregister, owned, true},
		{"non-owner may not unregister", member, auth.PermLocationUnregister, foreign, false},
		{"manager is no admin for unregistering", manager, auth.PermLocationUnregister, foreign, false},
		{"admin unregisters", admin, auth.PermLocationUnregister, foreign, true},
		{"write token unregisters", writeToken, auth.PermLocationUnregister, foreign, true},
		{"read token may not unregister", readToken, auth.PermLocationUnregister, foreign, false},

		{"owner refreshes entity", member, auth.PermEntityRefresh, owned, true},
		{"owner by ref case", member, auth.PermEntityRefresh, auth.Resource{Owners: []string{"Group:Default/Platform"}}, true},
		{"non-owner may not refresh", member, auth.PermEntityRefresh, foreign, false},
		{"admin refreshes", admin, auth.PermEntityRefresh, foreign, true},
		{"write token refreshes", writeToken, auth.PermEntityRefresh, foreign, true},
		{"read token may not refresh", readToken, auth.PermEntityRefresh, owned, false},
		{"anonymous may not refresh", anon, auth.PermEntityRefresh, owned, false},

		{"admin manages tokens", admin, auth.PermTokenManage, auth.Resource{}, true},
		{"manager may not manage tokens", manager, auth.PermTokenManage, auth.Resource{}, false},
		{"member may not manage tokens", member, auth.PermTokenManage, auth.Resource{}, false},
		{"write token may not mint tokens", writeToken, auth.PermTokenManage, auth.Resource{}, false},
		{"token with an admin role claim may not mint tokens", auth.Identity{Kind: auth.KindToken, Ref: "token:3", Role: auth.RoleAdmin, Scope: auth.ScopeWrite}, auth.PermTokenManage, auth.Resource{}, false},

		{"admin reads audit", admin, auth.PermAuditRead, auth.Resource{}, true},
		{"member may not read audit", member, auth.PermAuditRead, auth.Resource{}, false},
		{"manager may not read audit", manager, auth.PermAuditRead, auth.Resource{}, false},
		{"token reads audit", readToken, auth.PermAuditRead, auth.Resource{}, true},
		{"anonymous may not read audit", anon, auth.PermAuditRead, auth.Resource{}, false},

		{"unknown permission", admin, auth.Permission("everything"), auth.Resource{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.id.Can(tc.perm, tc.res); got != tc.want {
				t.Errorf("%s Can(%s, %+v) = %v, want %v", tc.id.Ref, tc.perm, tc.res, got, tc.want)
			}
		})
	}
}

func TestAuthorizeRecordsDenials(t *testing.T) {
	for _, b := range database.Backends(t) {
		t.Run(b, func(t *testing.T) {
			ctx := auth.WithRequestMeta(context.Background(), auth.RequestMeta{RequestID: "req-1", IP: "127.0.0.1"})
			svc := newGuestService(t, database.OpenTest(t, b), newClock())
			member := auth.Identity{Kind: auth.KindUser, Ref: "user:default/jane.doe", Role: auth.RoleMember,
				OwnershipRefs: []string{"user:default/jane.doe"}}
			res := auth.Resource{Ref: "component:default/artist-web", Owners: []string{"group:default/other"}}
			err := svc.Authorize(ctx, member, auth.PermEntityRefresh, res)
			var fe *auth.ForbiddenError
			if !errors.As(err, &fe) || !errors.Is(err, auth.ErrForbidden) || fe.Permission != auth.PermEntityRefresh || fe.Resource != res.Ref {
				t.Fatalf("authorize = %v, want a ForbiddenError", err)
			}
			admin := auth.Identity{Kind: auth.KindUser, Ref: "user:default/ada", Role: auth.RoleAdmin}
			if err := svc.Authorize(ctx, admin, auth.PermEntityRefresh, res); err != nil {
				t.Fatalf("admin authorize: %v", err)
			}
			page, err := svc.Audit().List(ctx, auth.Filter{})
			if err != nil || len(page.Events) != 1 {
				t.Fatalf("audit = %+v, %v; want exactly the denial", page.Events, err)
			}
			ev := page.Events[0]
			if ev.Action != auth.ActionPermissionDenied || ev.Actor != member.Ref || ev.Target != res.Ref ||
				ev.Outcome != auth.OutcomeDenied || ev.RequestID != "req-1" || ev.IP != "127.0.0.1" ||
				ev.Detail["permission"] != string(auth.PermEntityRefresh) || ev.Detail["owners"] != "group:default/other" {
				t.Errorf("denial event = %+v", ev)
			}
		})
	}
}
