// Windows watermark: a PowerShell/WinForms helper process with a borderless, topmost, 60 %
// opaque form whose extended style adds WS_EX_TRANSPARENT|WS_EX_LAYERED (click-through) and
// WS_EX_TOOLWINDOW|WS_EX_NOACTIVATE (no taskbar button, never takes focus). Killed to hide.
// Not testable on this Linux machine; kept small on purpose.
import { spawn } from 'node:child_process';
import { HelperProcessWatermark } from './helper-process.ts';

const SCRIPT = String.raw`
Add-Type -AssemblyName System.Windows.Forms, System.Drawing
Add-Type @"
using System; using System.Windows.Forms;
public class BridgeMark : Form {
  protected override CreateParams CreateParams { get { var p = base.CreateParams; p.ExStyle |= 0x20 | 0x80000 | 0x80 | 0x08000000; return p; } }
  protected override bool ShowWithoutActivation { get { return true; } }
}
"@ -ReferencedAssemblies System.Windows.Forms, System.Drawing
$f = New-Object BridgeMark
$f.FormBorderStyle = 'None'; $f.TopMost = $true; $f.ShowInTaskbar = $false; $f.Opacity = 0.6
$f.BackColor = [System.Drawing.Color]::FromArgb(122, 31, 31); $f.StartPosition = 'Manual'
$l = New-Object System.Windows.Forms.Label
$l.Text = $env:BRIDGE_WATERMARK; $l.AutoSize = $true; $l.ForeColor = 'White'; $l.Padding = '12,6,12,6'
$l.Font = New-Object System.Drawing.Font('Segoe UI', 11)
$f.Controls.Add($l); $f.AutoSize = $true; $f.AutoSizeMode = 'GrowAndShrink'
$s = [System.Windows.Forms.Screen]::PrimaryScreen.Bounds
$f.Add_Shown({ $f.Location = New-Object System.Drawing.Point([int](($s.Width - $f.Width) / 2), 0) })
[System.Windows.Forms.Application]::Run($f)
`;
const ENCODED = Buffer.from(SCRIPT, 'utf16le').toString('base64');

export class WindowsWatermark extends HelperProcessWatermark {
  constructor() {
    super((text) => spawn('powershell.exe', ['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden', '-EncodedCommand', ENCODED], {
      env: { ...process.env, BRIDGE_WATERMARK: text }, stdio: 'ignore', windowsHide: true,
    }));
  }
}
