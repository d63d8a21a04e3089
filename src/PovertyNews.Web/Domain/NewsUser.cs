using Microsoft.AspNetCore.Identity;

namespace PovertyNews.Web.Domain;

/// <summary>A member of the newsroom. Readers have no accounts.</summary>
public class NewsUser : IdentityUser
{
    /// <summary>The name shown in records and on the dashboard (e.g. 张编辑); the e-mail address signs in.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>A disabled user cannot sign in, and their open sessions end at the next security-stamp check.</summary>
    public bool IsDisabled { get; set; }

    public DateTime CreatedAt { get; set; }
}
