<#
.SYNOPSIS
    Collects what lync-kst reads into one folder, to open in VS Code or check in CI.

.DESCRIPTION
    Run in the Skype for Business Server (or Lync Server) Management Shell on a Front End. It uses
    read-only cmdlets only: it changes nothing in the deployment.

    - topology.xml                  Get-CsTopology -AsXml
    - trusted-pools.xml             Get-CsTrustedApplicationPool | Export-Clixml
    - trusted-applications.xml      Get-CsTrustedApplication | Export-Clixml
    - trusted-computers.xml         Get-CsTrustedApplicationComputer | Export-Clixml
    - um-dialplans.xml              Get-UMDialPlan | Export-Clixml, when the Exchange Management Shell is loaded
    - exchange-servers.xml          Get-ExchangeServer | Export-Clixml (the Exchange versions), likewise
    - um-services.xml               Get-UMService | Export-Clixml (which dial plans each server serves), likewise
    - events-<computer>.xml         the Known Servers Table events of the "Lync Server" log of the last -Days days

    Then: lync-kst check <folder>, or open the folder in VS Code with the lync-kst extension.

.PARAMETER Path
    The folder to write (created if missing). Default: .\lync-kst-workspace

.PARAMETER Days
    How many days of the "Lync Server" event log to export. Default: 7
#>
[CmdletBinding()]
param(
    [string] $Path = '.\lync-kst-workspace',
    [int] $Days = 7
)

$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Path $Path -Force | Out-Null

Get-CsTopology -AsXml | Out-File -FilePath (Join-Path -Path $Path -ChildPath 'topology.xml') -Encoding UTF8
Get-CsTrustedApplicationPool | Export-Clixml -Path (Join-Path -Path $Path -ChildPath 'trusted-pools.xml')
Get-CsTrustedApplication | Export-Clixml -Path (Join-Path -Path $Path -ChildPath 'trusted-applications.xml')
Get-CsTrustedApplicationComputer | Export-Clixml -Path (Join-Path -Path $Path -ChildPath 'trusted-computers.xml')

# Exchange's cmdlets, present only where the Exchange Management Shell is loaded (Exchange 2019 has no UM cmdlets).
if (Get-Command -Name 'Get-ExchangeServer' -ErrorAction SilentlyContinue) {
    Get-ExchangeServer | Export-Clixml -Path (Join-Path -Path $Path -ChildPath 'exchange-servers.xml')
}
if (Get-Command -Name 'Get-UMDialPlan' -ErrorAction SilentlyContinue) {
    Get-UMDialPlan | Export-Clixml -Path (Join-Path -Path $Path -ChildPath 'um-dialplans.xml')
    Get-UMService | Export-Clixml -Path (Join-Path -Path $Path -ChildPath 'um-services.xml')
}

# 14492 start-up list, 14493 added, 14495 removed, 14563 one FQDN with two versions, 44024 Exchange UM Routing's list, 44030.
$events = @{ LogName = 'Lync Server'; Id = 14492, 14493, 14495, 14563, 44024, 44030; StartTime = (Get-Date).AddDays(-$Days) }
Get-WinEvent -FilterHashtable $events -ErrorAction SilentlyContinue |
    Export-Clixml -Path (Join-Path -Path $Path -ChildPath "events-$env:COMPUTERNAME.xml")
