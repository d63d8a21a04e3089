namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>The "PovertyNews:Admin" section: the first administrator, created when nobody can sign in yet.</summary>
public sealed class AdminBootstrapOptions
{
    public string? Email { get; set; }
    public string? Password { get; set; }
}
