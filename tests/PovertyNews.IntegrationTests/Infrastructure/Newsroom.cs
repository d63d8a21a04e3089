using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.IntegrationTests.Infrastructure;

/// <summary>Newsroom users and signed-in clients that post the real forms, antiforgery token included.</summary>
public static class Newsroom
{
    public const string Password = "tea-garden-river-42";

    /// <summary>Creates a user with the given roles (stored names from <see cref="NewsRoles"/>).</summary>
    public static async Task<string> CreateUserAsync(this NewsFactory factory, string email, params string[] roles)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var result = await accounts.CreateAsync(email, email.Split('@')[0], Password, roles, "测试");
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return email;
    }

    /// <summary>A client with its own cookies, signed in through the sign-in form.</summary>
    public static async Task<HttpClient> SignInAsync(this NewsFactory factory, string email, string password = Password)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await client.SubmitFormAsync("/admin/signin", "form", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Redirect,
            $"sign-in of {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>
    /// Opens <paramref name="pageUrl"/>, fills the form matched by <paramref name="formSelector"/> with its own
    /// fields (hidden antiforgery token included) overridden by <paramref name="values"/>, and posts it. A value of
    /// null removes the field. <paramref name="submitName"/> picks a submit button (for multi-handler forms).
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(this HttpClient client, string pageUrl, string formSelector,
        Dictionary<string, string?> values, string? submitName = null)
    {
        var page = await client.GetPageAsync(pageUrl);
        var form = page.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new Xunit.Sdk.XunitException($"no form '{formSelector}' on {pageUrl}");
        var fields = FieldsOf(page, formSelector, values);
        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : pageUrl;
        if (submitName is not null)
        {
            var button = form.QuerySelectorAll("button[type=submit], button:not([type])").OfType<IHtmlButtonElement>()
                .FirstOrDefault(b => b.Name == submitName || b.GetAttribute("formaction")?.Contains(submitName) == true)
                ?? throw new Xunit.Sdk.XunitException($"no submit button '{submitName}' in '{formSelector}' on {pageUrl}");
            if (button.GetAttribute("formaction") is { Length: > 0 } formAction)
            {
                action = formAction;
            }
            if (!string.IsNullOrEmpty(button.Name))
            {
                fields.Add(new(button.Name, button.Value));
            }
        }
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>The fields a browser would post for the form, with <paramref name="values"/> replacing them (null removes).</summary>
    public static List<KeyValuePair<string, string>> FieldsOf(IHtmlDocument page, string formSelector, Dictionary<string, string?>? values = null)
    {
        var form = page.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new Xunit.Sdk.XunitException($"no form '{formSelector}'");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button" or "file"):
                    if (input.Type is "checkbox" or "radio" && !input.IsChecked)
                    {
                        continue;
                    }
                    fields.Add(new(input.Name!, input.Value));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name!, area.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.AddRange(select.Options.Where(o => o.IsSelected).Select(o => new KeyValuePair<string, string>(select.Name!, o.Value)));
                    break;
            }
        }
        foreach (var (name, value) in values ?? [])
        {
            fields.RemoveAll(f => f.Key == name);
            if (value is not null)
            {
                fields.Add(new(name, value));
            }
        }
        return fields;
    }
}
