using System.Net;
using System.Net.Http.Headers;

namespace AutoNet.Dashboard.Tests;

/// <summary>
/// The server, not the page, enforces read-only access: GET and HEAD only, a Host the allowlist names, the token when one
/// is set (live channel included), images only by index from the experiment's own cache, and no stack trace in any answer.
/// </summary>
[Collection(SearchedStoreCollection.Name)]
public sealed class DashboardSecurityTests(SearchedStoreFixture fixture)
{
    private const string Token = "a-test-token-of-enough-length";

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    public async Task Only_get_and_head_are_answered(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/experiments/{SearchedStoreFixture.Random}");
        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order());
        using var head = await fixture.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/experiments"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:8050")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task A_foreign_host_header_is_refused_against_dns_rebinding(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/experiments");
        request.Headers.Host = host;
        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.DoesNotContain(SearchedStoreFixture.Random, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_answer_carries_a_strict_content_security_policy()
    {
        foreach (var path in new[] { "/", "/api/experiments", "/assets/app.js", "/nowhere" })
        {
            using var response = await fixture.Http.GetAsync(path);
            var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Theory]
    [InlineData("/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/assets/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/assets/..\\..\\etc\\passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("/%2Fetc%2Fpasswd")]
    [InlineData("/api/experiments/tiny-random/trials/1/images/..%2F..%2Fautonet.db")]
    [InlineData("/api/experiments/tiny-random/trials/1/images/%2Fetc%2Fpasswd.png")]
    [InlineData("/api/experiments/tiny-random/trials/1/images/-1.png")]
    [InlineData("/api/experiments/tiny-random/trials/1/images/100000.png")]
    [InlineData("/api/experiments/..%2F..%2Fetc/trials/1/images/0.png")]
    [InlineData("/api/experiments/tiny-random/trials/1/images/0.png%00.txt")]
    public async Task Nothing_but_an_indexed_test_image_comes_out_of_an_image_or_asset_path(string path)
    {
        using var response = await fixture.Http.GetAsync(path);
        // A NUL in the path is refused by the server itself (400); everything else is simply not there.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.BadRequest });
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite format", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_in_the_workspace_is_never_followed_to_serve_a_file()
    {
        // The images come from the cache by index; a link planted beside the cache (or named like an asset) is never read.
        var cacheRoot = Path.Join(fixture.Workspace, "cache");
        var link = Path.Join(cacheRoot, "app.js");
        File.CreateSymbolicLink(link, "/etc/passwd");
        try
        {
            using var response = await fixture.Http.GetAsync("/assets/app.js");
            Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var missing = await fixture.Http.GetAsync("/assets/passwd");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        finally
        {
            File.Delete(link);
        }
    }

    [Fact]
    public async Task With_a_token_every_request_needs_it_the_live_channel_included()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Store = fixture.StorePath, Workspace = fixture.Workspace, Port = 0, Token = Token });
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Address };
        foreach (var path in new[] { "/", "/api/experiments", $"/api/experiments/{SearchedStoreFixture.Random}/events", "/assets/app.js", "/nowhere" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain(SearchedStoreFixture.Random, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/experiments"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
            using var response = await http.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/experiments"))
        {
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await http.SendAsync(bearer);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The address `autonet dashboard` prints: the token moves into a cookie and out of the address bar.
        using var first = await http.GetAsync(server.OpenAddress.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.DoesNotContain(Token, first.Headers.Location!.ToString(), StringComparison.Ordinal);
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/experiments");
        withCookie.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var answered = await http.SendAsync(withCookie);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task Listening_beyond_loopback_without_a_token_generates_one()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions
        {
            Store = fixture.StorePath, Workspace = fixture.Workspace, Port = 0, Address = IPAddress.Any,
        });
        Assert.NotNull(server.Token);
        Assert.True(server.Token!.Length >= 32);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Address.Port}/") };
        using var response = await http.GetAsync("/api/experiments");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_short_token_is_refused_before_listening()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DashboardServer.StartAsync(new DashboardOptions
        {
            Store = fixture.StorePath, Workspace = fixture.Workspace, Port = 0, Token = "short",
        }));
        Assert.Contains("16 characters", error.Message, StringComparison.Ordinal);
    }
}
