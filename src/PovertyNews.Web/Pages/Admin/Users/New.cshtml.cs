using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;

namespace PovertyNews.Web.Pages.Admin.Users;

/// <summary>An administrator creates an account with its roles and a first password.</summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class NewModel(AccountService accounts) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required(ErrorMessage = "请填写邮箱。")]
        [EmailAddress(ErrorMessage = "邮箱地址格式不正确。")]
        [StringLength(256, ErrorMessage = "邮箱不能超过 {1} 个字符。")]
        [Display(Name = "邮箱（用于登录）")]
        public string Email { get; set; } = "";

        [StringLength(50, ErrorMessage = "显示名不能超过 {1} 个字符。")]
        [Display(Name = "显示名")]
        public string? DisplayName { get; set; }

        [Display(Name = "角色")]
        public List<string> Roles { get; set; } = [];

        [Required(ErrorMessage = "请设置初始密码。")]
        [StringLength(1024, ErrorMessage = "密码过长。")]
        [DataType(DataType.Password)]
        [Display(Name = "初始密码")]
        public string Password { get; set; } = "";
    }

    public void OnGet() => SetTitle();

    public async Task<IActionResult> OnPostAsync()
    {
        SetTitle();
        if (!ModelState.IsValid)
        {
            ModelState.AddErrors(AccountService.CheckNewRoles(Input.Roles, out _));
            return Page();
        }
        var result = await accounts.AddAsync(Input.Email, Input.DisplayName, Input.Password, Input.Roles, User.Identity?.Name);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            return Page();
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/Users/Index")!);
    }

    private void SetTitle()
    {
        ViewData["Title"] = "新建用户";
        ViewData["AdminSection"] = "users";
    }
}
