using Alquimia.Examples.Crm;
using Alquimia.Examples.Ecommerce;
using Alquimia.Examples.VCredit;
using Alquimia.Projects;

namespace Alquimia.Tests.Deploy;

/// <summary>The examples the deploy is tested on, written into a test's folder and loaded.</summary>
internal static class ExampleProjects
{
    /// <summary>V-Credit (seed 000), written into <c>&lt;parent&gt;/vcredit</c> and loaded.</summary>
    public static Project VCredit(string parent) => Load(Path.Combine(parent, "vcredit"), folder => VCreditExample.WriteProjectTo(folder, overwrite: true));

    /// <summary>CRM (seed 004), written into <c>&lt;parent&gt;/crm</c> and loaded.</summary>
    public static Project Crm(string parent) => Load(Path.Combine(parent, "crm"), folder => CrmExample.WriteProjectTo(folder, overwrite: true));

    /// <summary>E-commerce (seed 002), written into <c>&lt;parent&gt;/ecommerce</c> and loaded.</summary>
    public static Project Ecommerce(string parent) => Load(Path.Combine(parent, "ecommerce"), folder => EcommerceExample.WriteProjectTo(folder, overwrite: true));

    private static Project Load(string folder, Action<string> write)
    {
        write(folder);
        return ProjectLoader.Load(folder);
    }
}
