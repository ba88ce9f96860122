// macOS watermark: a JXA (osascript -l JavaScript) helper with a borderless NSWindow at the
// status-bar level, ignoring mouse events (click-through), 60 % alpha, on every Space.
// Not testable on this Linux machine; kept small on purpose.
import { spawn } from 'node:child_process';
import { HelperProcessWatermark } from './helper-process.ts';

const SCRIPT = `
ObjC.import('Cocoa');
const text = $.NSProcessInfo.processInfo.environment.objectForKey('BRIDGE_WATERMARK').js;
const app = $.NSApplication.sharedApplication;
app.setActivationPolicy($.NSApplicationActivationPolicyAccessory);
const scr = $.NSScreen.mainScreen.frame;
const w = 620, h = 30;
const win = $.NSWindow.alloc.initWithContentRectStyleMaskBackingDefer(
  $.NSMakeRect((scr.size.width - w) / 2, scr.size.height - h - 30, w, h), $.NSWindowStyleMaskBorderless, $.NSBackingStoreBuffered, false);
win.level = $.NSStatusWindowLevel; win.ignoresMouseEvents = true; win.alphaValue = 0.6; win.opaque = false;
win.backgroundColor = $.NSColor.colorWithCalibratedRedGreenBlueAlpha(0.48, 0.12, 0.12, 1);
win.collectionBehavior = $.NSWindowCollectionBehaviorCanJoinAllSpaces | $.NSWindowCollectionBehaviorStationary;
const label = $.NSTextField.labelWithString(text);
label.textColor = $.NSColor.whiteColor; label.frame = $.NSMakeRect(12, 6, w - 24, h - 12);
win.contentView.addSubview(label);
win.orderFrontRegardless;
app.run;
`;

export class DarwinWatermark extends HelperProcessWatermark {
  constructor() {
    super((text) => spawn('osascript', ['-l', 'JavaScript', '-e', SCRIPT], { env: { ...process.env, BRIDGE_WATERMARK: text }, stdio: 'ignore' }));
  }
}
